PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_invitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
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
-- Written by hand: an invitation's old id was its secret, so it becomes the token (kept as its hash,
-- with the function db/connection.ts registers), and the invitation gets a plain integer id.
INSERT INTO `__new_invitations`("token_hash", "organization_id", "email", "name", "role", "invited_by", "status", "expires_at", "accepted_at", "created_at", "updated_at") SELECT invitation_token_hash("id"), "organization_id", "email", "name", "role", "invited_by", "status", "expires_at", "accepted_at", "created_at", "updated_at" FROM `invitations` ORDER BY "created_at", "id";--> statement-breakpoint
DROP TABLE `invitations`;--> statement-breakpoint
ALTER TABLE `__new_invitations` RENAME TO `invitations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_hash_unique` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_organization_idx` ON `invitations` (`organization_id`,`status`);--> statement-breakpoint
CREATE INDEX `invitations_email_idx` ON `invitations` (`email`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `matching_weights` text;