DROP INDEX `expense_user_date_idx`;--> statement-breakpoint
CREATE INDEX `expense_user_date_idx` ON `expense` (`user_id`,`date`,`id`,`type`,`category`,`currency`,`amount_minor`,`minor_per_unit`);