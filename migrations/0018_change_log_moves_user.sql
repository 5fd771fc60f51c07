-- One update of the user's row per logged change, not two. The change log's trigger now moves
-- `data_version` to the seq just logged (the raise was a statement of its own in every write
-- batch, guarded by the log row's presence: a trigger runs only when the row went in), and
-- `event_seq` with it for the feed's entities, then writes the feed row as before.
DROP TRIGGER `event_feed_from_change_log`;
--> statement-breakpoint
CREATE TRIGGER `change_log_moves_user` AFTER INSERT ON `change_log` BEGIN
	UPDATE `user` SET `data_version` = new.`seq`, `event_seq` = `event_seq` + (new.`entity` IN ('expense', 'budget'))
	WHERE `id` = new.`user_id`;
	INSERT INTO `event_feed` (`user_id`, `seq`, `type`, `data`, `created_at`)
	SELECT new.`user_id`, `event_seq`,
		new.`entity` || '.' || CASE new.`op` WHEN 'CREATE' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END,
		coalesce(new.`data`, json_object('_id', new.`entity_id`)), new.`created_at`
	FROM `user` WHERE `id` = new.`user_id` AND new.`entity` IN ('expense', 'budget');
END;
