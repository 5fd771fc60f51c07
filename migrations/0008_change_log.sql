CREATE TABLE `change_log` (
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`op` text NOT NULL,
	`version` integer NOT NULL,
	`data` text,
	`device_id` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `seq`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `change_log_entity_idx` ON `change_log` (`user_id`,`entity`,`entity_id`);--> statement-breakpoint
ALTER TABLE `user` ADD `settings_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `expense` ADD `version` integer DEFAULT 1 NOT NULL;