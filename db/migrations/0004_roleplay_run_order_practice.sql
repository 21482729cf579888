-- Existing runs get a random seed and reply key (the defaults only let SQLite add NOT NULL columns to filled rows).
ALTER TABLE `roleplay_run` ADD `seed` integer NOT NULL DEFAULT 0;--> statement-breakpoint
ALTER TABLE `roleplay_run` ADD `reply_key` text NOT NULL DEFAULT '';--> statement-breakpoint
UPDATE `roleplay_run` SET `seed` = abs(random() % 4294967296), `reply_key` = lower(hex(randomblob(16)));--> statement-breakpoint
ALTER TABLE `roleplay_run` ADD `practice` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `roleplay_run` ADD `origin` text;--> statement-breakpoint
-- Before the one-open-run rule, a learner could have several open runs of a role-play: keep the newest open.
UPDATE `roleplay_run` SET `status` = 'abandoned',
  `ended_at` = coalesce((SELECT max(`at`) FROM `roleplay_step` WHERE `run_id` = `roleplay_run`.`id`), `started_at`)
WHERE `status` = 'open' AND EXISTS (
  SELECT 1 FROM `roleplay_run` AS newer
  WHERE newer.`user_id` = `roleplay_run`.`user_id` AND newer.`roleplay_id` = `roleplay_run`.`roleplay_id`
    AND newer.`status` = 'open'
    AND (newer.`started_at` > `roleplay_run`.`started_at` OR (newer.`started_at` = `roleplay_run`.`started_at` AND newer.`id` > `roleplay_run`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `run_one_open` ON `roleplay_run` (`user_id`,`roleplay_id`) WHERE status = 'open';
