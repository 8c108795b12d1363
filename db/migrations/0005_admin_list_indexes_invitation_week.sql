DROP INDEX `matches_mentor_idx`;--> statement-breakpoint
DROP INDEX `matches_mentee_idx`;--> statement-breakpoint
CREATE INDEX `matches_admin_list_idx` ON `matches` (`created_at`) WHERE "matches"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `matches_mentor_idx` ON `matches` (`mentor_id`,`status`,`deleted`);--> statement-breakpoint
CREATE INDEX `matches_mentee_idx` ON `matches` (`mentee_id`,`status`,`deleted`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `lambda_week` integer;--> statement-breakpoint
CREATE INDEX `invitations_admin_list_idx` ON `invitations` (`created_at`);--> statement-breakpoint
CREATE INDEX `experiences_admin_list_idx` ON `experiences` (`created_at`) WHERE "experiences"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `meetings_admin_list_idx` ON `meetings` (`created_at`) WHERE "meetings"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `mentees_admin_list_idx` ON `mentees` (`created_at`) WHERE "mentees"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `mentors_admin_list_idx` ON `mentors` (`created_at`) WHERE "mentors"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `notifications_admin_list_idx` ON `notifications` (`created_at`) WHERE "notifications"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `requests_admin_list_idx` ON `requests` (`created_at`) WHERE "requests"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `requests_status_list_idx` ON `requests` (`organization_id`,`deleted`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_admin_list_idx` ON `users` (`created_at`) WHERE "users"."deleted" = 0;