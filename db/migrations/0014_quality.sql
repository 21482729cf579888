CREATE TABLE `quality_calibration` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`team_id` text NOT NULL,
	`rep_id` text NOT NULL,
	`scorecard_id` text NOT NULL,
	`channel` text NOT NULL,
	`contact_date` text NOT NULL,
	`reference` text NOT NULL,
	`link` text,
	`session_date` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `team`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rep_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quality_calibration_team` ON `quality_calibration` (`team_id`,`session_date`);--> statement-breakpoint
CREATE TABLE `quality_evaluation` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`rep_id` text NOT NULL,
	`team_id` text NOT NULL,
	`evaluator_id` text NOT NULL,
	`kind` text NOT NULL,
	`calibration_id` text,
	`scorecard_id` text NOT NULL,
	`channel` text NOT NULL,
	`contact_date` text NOT NULL,
	`month` text NOT NULL,
	`reference` text NOT NULL,
	`link` text,
	`notes` text,
	`status` text NOT NULL,
	`score` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	`acknowledged_at` integer,
	`ack_comment` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rep_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `team`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evaluator_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`calibration_id`) REFERENCES `quality_calibration`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quality_eval_rep` ON `quality_evaluation` (`rep_id`,`month`);--> statement-breakpoint
CREATE INDEX `quality_eval_team` ON `quality_evaluation` (`team_id`,`month`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `quality_eval_calibration_once` ON `quality_evaluation` (`calibration_id`,`evaluator_id`) WHERE kind = 'calibration';--> statement-breakpoint
CREATE UNIQUE INDEX `quality_eval_agreed_once` ON `quality_evaluation` (`calibration_id`) WHERE kind = 'agreed';--> statement-breakpoint
CREATE TABLE `quality_evaluator` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`),
	FOREIGN KEY (`team_id`) REFERENCES `team`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quality_evaluator_user` ON `quality_evaluator` (`user_id`);--> statement-breakpoint
CREATE TABLE `quality_plan` (
	`team_id` text PRIMARY KEY NOT NULL,
	`per_rep` integer NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `team`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quality_remedial` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`rep_id` text NOT NULL,
	`team_id` text NOT NULL,
	`standard_id` text NOT NULL,
	`month` text NOT NULL,
	`met` integer NOT NULL,
	`applicable` integer NOT NULL,
	`module_id` text,
	`due_at` integer,
	`note` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rep_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `team`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quality_remedial_once` ON `quality_remedial` (`rep_id`,`standard_id`,`month`);--> statement-breakpoint
CREATE INDEX `quality_remedial_team` ON `quality_remedial` (`team_id`,`month`);--> statement-breakpoint
CREATE TABLE `quality_score` (
	`evaluation_id` text NOT NULL,
	`item_key` text NOT NULL,
	`standard_id` text NOT NULL,
	`value` text NOT NULL,
	`comment` text,
	PRIMARY KEY(`evaluation_id`, `item_key`),
	FOREIGN KEY (`evaluation_id`) REFERENCES `quality_evaluation`(`id`) ON UPDATE no action ON DELETE no action
);
