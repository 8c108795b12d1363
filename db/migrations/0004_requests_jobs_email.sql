-- drizzle-kit drops ON DELETE from a column added by ALTER TABLE; the two below were restored by hand to match db/schema.ts.
CREATE TABLE `job_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`job` text NOT NULL,
	`subject_id` integer NOT NULL,
	`period` text DEFAULT '' NOT NULL,
	`done_at` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_records_deed_unique` ON `job_records` (`job`,`subject_id`,`period`);--> statement-breakpoint
CREATE INDEX `job_records_organization_idx` ON `job_records` (`organization_id`);--> statement-breakpoint
CREATE TABLE `requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`mentee_id` integer NOT NULL,
	`mentor_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`message` text,
	`status` text DEFAULT 'OPEN' NOT NULL,
	`decline_reason` text,
	`decline_note` text,
	`expires_at` text NOT NULL,
	`answered_at` text,
	`match_id` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentee_id`) REFERENCES `mentees`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentor_id`) REFERENCES `mentors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "requests_rank_check" CHECK("requests"."rank" BETWEEN 1 AND 3)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_open_pair_unique` ON `requests` (`mentee_id`,`mentor_id`) WHERE "requests"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX `requests_list_idx` ON `requests` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_mentee_idx` ON `requests` (`mentee_id`,`status`);--> statement-breakpoint
CREATE INDEX `requests_mentor_idx` ON `requests` (`mentor_id`,`status`);--> statement-breakpoint
CREATE INDEX `requests_due_idx` ON `requests` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `requests_match_idx` ON `requests` (`match_id`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `match_id` integer REFERENCES matches(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `notifications` ADD `about_user_id` integer REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `notifications` ADD `email_status` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `email_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_email_due_idx` ON `notifications` (`email_status`,`user_id`) WHERE "notifications"."email_status" IN ('PENDING', 'FAILED');--> statement-breakpoint
CREATE INDEX `notifications_match_idx` ON `notifications` (`match_id`);--> statement-breakpoint
CREATE INDEX `notifications_about_idx` ON `notifications` (`about_user_id`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `requests_enabled` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `request_expiry_days` integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `inactive_match_days` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `pending_profile_days` integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `email_notifications` text DEFAULT 'EACH' NOT NULL;