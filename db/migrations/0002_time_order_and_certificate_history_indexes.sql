CREATE INDEX `cert_event_certificate` ON `certification_event` (`certificate_id`);--> statement-breakpoint
CREATE INDEX `attempt_submitted` ON `quiz_attempt` (`submitted_at`,`id`);--> statement-breakpoint
CREATE INDEX `run_ended` ON `roleplay_run` (`ended_at`,`id`);--> statement-breakpoint
CREATE INDEX `step_time` ON `roleplay_step` (`at`,`run_id`,`step`);