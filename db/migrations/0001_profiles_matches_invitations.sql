CREATE TABLE `experiences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiences_user_name_unique` ON `experiences` (`user_id`,`name`);--> statement-breakpoint
CREATE INDEX `experiences_organization_idx` ON `experiences` (`organization_id`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` integer NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`role` text DEFAULT 'MENTEE' NOT NULL,
	`invited_by` integer,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`expires_at` text NOT NULL,
	`accepted_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `invitations_organization_idx` ON `invitations` (`organization_id`,`status`);--> statement-breakpoint
CREATE INDEX `invitations_email_idx` ON `invitations` (`email`);--> statement-breakpoint
CREATE TABLE `matches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`mentor_id` integer NOT NULL,
	`mentee_id` integer NOT NULL,
	`status` text DEFAULT 'ACTIVE' NOT NULL,
	`match_score` real,
	`start_date` text,
	`end_date` text,
	`cancel_reason` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentor_id`) REFERENCES `mentors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentee_id`) REFERENCES `mentees`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `matches_active_pair_unique` ON `matches` (`mentor_id`,`mentee_id`) WHERE "matches"."status" = 'ACTIVE' AND "matches"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `matches_organization_idx` ON `matches` (`organization_id`,`status`);--> statement-breakpoint
CREATE INDEX `matches_mentor_idx` ON `matches` (`mentor_id`,`status`);--> statement-breakpoint
CREATE INDEX `matches_mentee_idx` ON `matches` (`mentee_id`,`status`);--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`match_id` integer NOT NULL,
	`meeting_date` text NOT NULL,
	`location` text NOT NULL,
	`notes` text,
	`rating` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "meetings_rating_check" CHECK("meetings"."rating" IS NULL OR "meetings"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE INDEX `meetings_organization_idx` ON `meetings` (`organization_id`);--> statement-breakpoint
CREATE INDEX `meetings_match_idx` ON `meetings` (`match_id`);--> statement-breakpoint
CREATE TABLE `mentees` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`lambda_week` integer NOT NULL,
	`desired_zip` text,
	`interests` text,
	`application_answers` text,
	`wanted_mentor_id` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`wanted_mentor_id`) REFERENCES `mentors`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "mentees_lambda_week_check" CHECK("mentees"."lambda_week" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mentees_user_id_unique` ON `mentees` (`user_id`);--> statement-breakpoint
CREATE INDEX `mentees_organization_idx` ON `mentees` (`organization_id`,`status`);--> statement-breakpoint
CREATE INDEX `mentees_lambda_week_idx` ON `mentees` (`organization_id`,`lambda_week`);--> statement-breakpoint
CREATE INDEX `mentees_wanted_mentor_idx` ON `mentees` (`wanted_mentor_id`);--> statement-breakpoint
CREATE TABLE `mentors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`capacity` integer DEFAULT 1 NOT NULL,
	`bio` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "mentors_capacity_check" CHECK("mentors"."capacity" BETWEEN 1 AND 20)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mentors_user_id_unique` ON `mentors` (`user_id`);--> statement-breakpoint
CREATE INDEX `mentors_organization_idx` ON `mentors` (`organization_id`,`status`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`user_id` integer NOT NULL,
	`content` text NOT NULL,
	`watched` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`watched`);--> statement-breakpoint
CREATE INDEX `notifications_organization_idx` ON `notifications` (`organization_id`);