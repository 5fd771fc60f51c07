-- Expense and budget events come from the change log: every write path already appends its
-- change there inside its own batch, so the feed row lands in the same transaction (never lost
-- to a crash after the commit) without each path knowing of the feed.
CREATE TRIGGER `event_feed_from_change_log` AFTER INSERT ON `change_log`
WHEN new.`entity` IN ('expense', 'budget') BEGIN
	UPDATE `user` SET `event_seq` = `event_seq` + 1 WHERE `id` = new.`user_id`;
	INSERT INTO `event_feed` (`user_id`, `seq`, `type`, `data`, `created_at`)
	SELECT new.`user_id`, `event_seq`,
		new.`entity` || '.' || CASE new.`op` WHEN 'CREATE' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END,
		coalesce(new.`data`, json_object('_id', new.`entity_id`)), new.`created_at`
	FROM `user` WHERE `id` = new.`user_id`;
END;
