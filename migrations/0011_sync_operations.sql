CREATE TABLE `sync_operation` (
	`user_id` text NOT NULL,
	`device_id` text NOT NULL,
	`op_id` text NOT NULL,
	`op` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`status` text NOT NULL,
	`conflict` text,
	`seq` integer,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `device_id`, `op_id`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_operation_created_idx` ON `sync_operation` (`user_id`,`created_at`);