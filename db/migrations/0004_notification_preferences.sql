CREATE TABLE `notification_preference` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email_off` text NOT NULL,
	`digest` integer DEFAULT false NOT NULL,
	`digest_sent_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `site_secret` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL
);
