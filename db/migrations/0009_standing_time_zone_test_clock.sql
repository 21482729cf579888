CREATE TABLE `test_clock` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `user` ADD `time_zone` text;