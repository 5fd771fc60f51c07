CREATE TABLE `event_feed` (
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `seq`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `event_feed_created_idx` ON `event_feed` (`created_at`);--> statement-breakpoint
ALTER TABLE `user` ADD `event_seq` integer DEFAULT 0 NOT NULL;