CREATE TABLE `badge_status_entry` (
	`certificate_id` text PRIMARY KEY NOT NULL,
	`list_index` integer NOT NULL,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificate`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `badge_status_entry_list_index_unique` ON `badge_status_entry` (`list_index`);