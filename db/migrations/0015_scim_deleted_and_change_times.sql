ALTER TABLE `team` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `user` ADD `scim_deleted_at` integer;--> statement-breakpoint
ALTER TABLE `user` ADD `updated_at` integer;