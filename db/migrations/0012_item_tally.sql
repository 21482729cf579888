CREATE TABLE `item_tally` (
	`organization_id` text NOT NULL,
	`quiz_id` text NOT NULL,
	`day` integer NOT NULL,
	`question_id` text NOT NULL,
	`score` integer NOT NULL,
	`option_id` text NOT NULL,
	`answers` integer NOT NULL,
	`correct` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`)
);
--> statement-breakpoint
CREATE TRIGGER `item_tally_attempt_inserted` AFTER INSERT ON `quiz_attempt`
WHEN NEW.`status` = 'submitted' AND NEW.`mode` = 'certification'
BEGIN
	INSERT INTO `item_tally` (`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`, `answers`, `correct`)
	SELECT u.`organization_id`, NEW.`quiz_id`, NEW.`submitted_at` / 86400000, '', coalesce(NEW.`score`, 0), '', 1, 0 FROM `user` u WHERE u.`id` = NEW.`user_id`
	ON CONFLICT DO UPDATE SET `answers` = `answers` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `item_tally_attempt_submitted` AFTER UPDATE OF `status` ON `quiz_attempt`
WHEN NEW.`status` = 'submitted' AND OLD.`status` <> 'submitted' AND NEW.`mode` = 'certification'
BEGIN
	INSERT INTO `item_tally` (`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`, `answers`, `correct`)
	SELECT u.`organization_id`, NEW.`quiz_id`, NEW.`submitted_at` / 86400000, '', coalesce(NEW.`score`, 0), '', 1, 0 FROM `user` u WHERE u.`id` = NEW.`user_id`
	ON CONFLICT DO UPDATE SET `answers` = `answers` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `item_tally_answer_inserted` AFTER INSERT ON `quiz_answer`
BEGIN
	INSERT INTO `item_tally` (`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`, `answers`, `correct`)
	SELECT u.`organization_id`, q.`quiz_id`, q.`submitted_at` / 86400000, NEW.`question_id`, coalesce(q.`score`, 0), o.`option_id`, 1, NEW.`correct`
	FROM `quiz_attempt` q JOIN `user` u ON u.`id` = q.`user_id`
	JOIN (SELECT '' AS `option_id` UNION ALL SELECT j.`value` FROM json_each(NEW.`chosen`) j) o
	WHERE q.`id` = NEW.`attempt_id` AND q.`status` = 'submitted' AND q.`mode` = 'certification'
	ON CONFLICT DO UPDATE SET `answers` = `answers` + 1, `correct` = `correct` + excluded.`correct`;
END;
--> statement-breakpoint
INSERT INTO `item_tally` (`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`, `answers`, `correct`)
SELECT u.`organization_id`, q.`quiz_id`, q.`submitted_at` / 86400000, '', coalesce(q.`score`, 0), '', count(*), 0
FROM `quiz_attempt` q JOIN `user` u ON u.`id` = q.`user_id`
WHERE q.`status` = 'submitted' AND q.`mode` = 'certification'
GROUP BY 1, 2, 3, 5;
--> statement-breakpoint
INSERT INTO `item_tally` (`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`, `answers`, `correct`)
SELECT u.`organization_id`, q.`quiz_id`, q.`submitted_at` / 86400000, a.`question_id`, coalesce(q.`score`, 0), '', count(*), sum(a.`correct`)
FROM `quiz_answer` a JOIN `quiz_attempt` q ON q.`id` = a.`attempt_id` JOIN `user` u ON u.`id` = q.`user_id`
WHERE q.`status` = 'submitted' AND q.`mode` = 'certification'
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO `item_tally` (`organization_id`, `quiz_id`, `day`, `question_id`, `score`, `option_id`, `answers`, `correct`)
SELECT u.`organization_id`, q.`quiz_id`, q.`submitted_at` / 86400000, a.`question_id`, coalesce(q.`score`, 0), j.`value`, count(*), sum(a.`correct`)
FROM `quiz_answer` a JOIN `quiz_attempt` q ON q.`id` = a.`attempt_id` JOIN `user` u ON u.`id` = q.`user_id`, json_each(a.`chosen`) j
WHERE q.`status` = 'submitted' AND q.`mode` = 'certification'
GROUP BY 1, 2, 3, 4, 5, 6;
