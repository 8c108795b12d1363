DROP INDEX `matches_mentor_idx`;--> statement-breakpoint
DROP INDEX `matches_mentee_idx`;--> statement-breakpoint
CREATE INDEX `matches_admin_list_idx` ON `matches` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `matches_mentor_idx` ON `matches` (`mentor_id`,`status`,`deleted`);--> statement-breakpoint
CREATE INDEX `matches_mentee_idx` ON `matches` (`mentee_id`,`status`,`deleted`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `lambda_week` integer;--> statement-breakpoint
CREATE INDEX `invitations_admin_list_idx` ON `invitations` (`created_at`);--> statement-breakpoint
CREATE INDEX `experiences_admin_list_idx` ON `experiences` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `meetings_admin_list_idx` ON `meetings` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentees_admin_list_idx` ON `mentees` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentors_admin_list_idx` ON `mentors` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_admin_list_idx` ON `notifications` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_admin_list_idx` ON `requests` (`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `requests_status_list_idx` ON `requests` (`organization_id`,`deleted`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_admin_list_idx` ON `users` (`deleted`,`created_at`);