CREATE TABLE `badge_status_entry` (
	`certificate_id` text PRIMARY KEY NOT NULL,
	`list_index` integer NOT NULL,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificate`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `badge_status_entry_list_index_unique` ON `badge_status_entry` (`list_index`);--> statement-breakpoint
CREATE TABLE `lrs_credential` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`secret_hash` text NOT NULL,
	`team_ids` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lrs_credential_key` ON `lrs_credential` (`key`);--> statement-breakpoint
CREATE INDEX `lrs_credential_org` ON `lrs_credential` (`organization_id`,`created_at`);--> statement-breakpoint
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
--> statement-breakpoint
CREATE TABLE `xapi_statement` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`organization_id` text NOT NULL,
	`user_id` text NOT NULL,
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`statement` text NOT NULL,
	`stored_at` integer NOT NULL,
	`pushed_at` integer,
	`push_attempts` integer DEFAULT 0 NOT NULL,
	`push_next_at` integer,
	`push_error` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `xapi_statement_id` ON `xapi_statement` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `xapi_statement_source` ON `xapi_statement` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `xapi_statement_org_stored` ON `xapi_statement` (`organization_id`,`stored_at`,`seq`);--> statement-breakpoint
CREATE INDEX `xapi_statement_unpushed` ON `xapi_statement` (`seq`) WHERE pushed_at IS NULL;--> statement-breakpoint
ALTER TABLE `organization` ADD `xapi_iri` text;