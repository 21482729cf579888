CREATE TABLE `lesson_completion` (
	`user_id` text NOT NULL,
	`module_id` text NOT NULL,
	`content_version` text NOT NULL,
	`completed_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `module_id`, `content_version`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
