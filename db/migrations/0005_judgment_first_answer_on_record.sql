ALTER TABLE `judgment_answer` ADD `practice` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Until now the newest answer counted; from now on the first one does, and every later answer is practice.
UPDATE `judgment_answer` SET `practice` = 1
WHERE EXISTS (
  SELECT 1 FROM `judgment_answer` AS earlier
  WHERE earlier.`user_id` = `judgment_answer`.`user_id` AND earlier.`case_id` = `judgment_answer`.`case_id`
    AND (earlier.`created_at` < `judgment_answer`.`created_at` OR (earlier.`created_at` = `judgment_answer`.`created_at` AND earlier.`id` < `judgment_answer`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `judgment_on_record` ON `judgment_answer` (`user_id`,`case_id`) WHERE practice = 0;
