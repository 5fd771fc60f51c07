-- The daily totals follow `expense` through triggers: every write path (the API, imports, the
-- bench seed, a cascade from a deleted user) keeps what the spending service sums.
CREATE TRIGGER `expense_day_insert` AFTER INSERT ON `expense` BEGIN
	INSERT INTO `expense_day` (`user_id`, `type`, `day`, `currency`, `minor_per_unit`, `amount_minor`, `count`)
	VALUES (new.`user_id`, new.`type`, substr(new.`date`, 1, 10), new.`currency`, new.`minor_per_unit`, new.`amount_minor`, 1)
	ON CONFLICT (`user_id`, `type`, `day`, `currency`) DO UPDATE SET `amount_minor` = `amount_minor` + excluded.`amount_minor`, `count` = `count` + 1;
	INSERT INTO `expense_category_day` (`user_id`, `type`, `day`, `currency`, `category`, `minor_per_unit`, `amount_minor`, `count`)
	VALUES (new.`user_id`, new.`type`, substr(new.`date`, 1, 10), new.`currency`, new.`category`, new.`minor_per_unit`, new.`amount_minor`, 1)
	ON CONFLICT (`user_id`, `type`, `day`, `currency`, `category`) DO UPDATE SET `amount_minor` = `amount_minor` + excluded.`amount_minor`, `count` = `count` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `expense_day_delete` AFTER DELETE ON `expense` BEGIN
	UPDATE `expense_day` SET `amount_minor` = `amount_minor` - old.`amount_minor`, `count` = `count` - 1
	WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency`;
	DELETE FROM `expense_day` WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency` AND `count` = 0;
	UPDATE `expense_category_day` SET `amount_minor` = `amount_minor` - old.`amount_minor`, `count` = `count` - 1
	WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency` AND `category` = old.`category`;
	DELETE FROM `expense_category_day` WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency` AND `category` = old.`category` AND `count` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `expense_day_update` AFTER UPDATE OF `type`, `date`, `category`, `currency`, `amount_minor` ON `expense` BEGIN
	UPDATE `expense_day` SET `amount_minor` = `amount_minor` - old.`amount_minor`, `count` = `count` - 1
	WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency`;
	DELETE FROM `expense_day` WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency` AND `count` = 0;
	UPDATE `expense_category_day` SET `amount_minor` = `amount_minor` - old.`amount_minor`, `count` = `count` - 1
	WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency` AND `category` = old.`category`;
	DELETE FROM `expense_category_day` WHERE `user_id` = old.`user_id` AND `type` = old.`type` AND `day` = substr(old.`date`, 1, 10) AND `currency` = old.`currency` AND `category` = old.`category` AND `count` = 0;
	INSERT INTO `expense_day` (`user_id`, `type`, `day`, `currency`, `minor_per_unit`, `amount_minor`, `count`)
	VALUES (new.`user_id`, new.`type`, substr(new.`date`, 1, 10), new.`currency`, new.`minor_per_unit`, new.`amount_minor`, 1)
	ON CONFLICT (`user_id`, `type`, `day`, `currency`) DO UPDATE SET `amount_minor` = `amount_minor` + excluded.`amount_minor`, `count` = `count` + 1;
	INSERT INTO `expense_category_day` (`user_id`, `type`, `day`, `currency`, `category`, `minor_per_unit`, `amount_minor`, `count`)
	VALUES (new.`user_id`, new.`type`, substr(new.`date`, 1, 10), new.`currency`, new.`category`, new.`minor_per_unit`, new.`amount_minor`, 1)
	ON CONFLICT (`user_id`, `type`, `day`, `currency`, `category`) DO UPDATE SET `amount_minor` = `amount_minor` + excluded.`amount_minor`, `count` = `count` + 1;
END;
--> statement-breakpoint
-- The expenses already stored.
INSERT INTO `expense_day` (`user_id`, `type`, `day`, `currency`, `minor_per_unit`, `amount_minor`, `count`)
SELECT `user_id`, `type`, substr(`date`, 1, 10), `currency`, max(`minor_per_unit`), sum(`amount_minor`), count(*)
FROM `expense` GROUP BY `user_id`, `type`, substr(`date`, 1, 10), `currency`;
--> statement-breakpoint
-- The expenses already stored.
INSERT INTO `expense_category_day` (`user_id`, `type`, `day`, `currency`, `category`, `minor_per_unit`, `amount_minor`, `count`)
SELECT `user_id`, `type`, substr(`date`, 1, 10), `currency`, `category`, max(`minor_per_unit`), sum(`amount_minor`), count(*)
FROM `expense` GROUP BY `user_id`, `type`, substr(`date`, 1, 10), `currency`, `category`;
