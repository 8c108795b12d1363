DROP INDEX `experiences_organization_idx`;--> statement-breakpoint
CREATE INDEX `experiences_list_idx` ON `experiences` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
DROP INDEX `meetings_organization_idx`;--> statement-breakpoint
DROP INDEX `meetings_match_idx`;--> statement-breakpoint
CREATE INDEX `meetings_list_idx` ON `meetings` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `meetings_match_idx` ON `meetings` (`match_id`,`deleted`,`created_at`);--> statement-breakpoint
DROP INDEX `notifications_organization_idx`;--> statement-breakpoint
DROP INDEX `notifications_user_idx`;--> statement-breakpoint
CREATE INDEX `notifications_list_idx` ON `notifications` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `invitations_list_idx` ON `invitations` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invitations_invited_by_idx` ON `invitations` (`invited_by`);--> statement-breakpoint
CREATE INDEX `matches_list_idx` ON `matches` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentees_list_idx` ON `mentees` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentors_list_idx` ON `mentors` (`organization_id`,`deleted`,`created_at`);--> statement-breakpoint
CREATE INDEX `organizations_created_idx` ON `organizations` (`created_at`);--> statement-breakpoint
CREATE INDEX `users_list_idx` ON `users` (`organization_id`,`deleted`,`created_at`);