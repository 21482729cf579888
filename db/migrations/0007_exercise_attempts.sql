CREATE TABLE `exercise_attempt` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`exercise_id` text NOT NULL,
	`module_id` text NOT NULL,
	`content_version` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`submitted_at` integer,
	`score` integer,
	`passed` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exercise_attempt_user` ON `exercise_attempt` (`user_id`,`exercise_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `exercise_attempt_status` ON `exercise_attempt` (`exercise_id`,`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `exercise_attempt_submitted` ON `exercise_attempt` (`submitted_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `exercise_attempt_one_open` ON `exercise_attempt` (`user_id`,`exercise_id`) WHERE status = 'open';--> statement-breakpoint
CREATE TABLE `exercise_score` (
	`attempt_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`standard_id` text NOT NULL,
	`score` text NOT NULL,
	`expert` text NOT NULL,
	`agrees` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `contact_id`, `standard_id`),
	FOREIGN KEY (`attempt_id`) REFERENCES `exercise_attempt`(`id`) ON UPDATE no action ON DELETE no action
);
