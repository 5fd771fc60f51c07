CREATE TABLE `split_payment` (
	`split_id` text NOT NULL,
	`user_id` text NOT NULL,
	`marked_by` text NOT NULL,
	`paid_at` text NOT NULL,
	PRIMARY KEY(`split_id`, `user_id`),
	FOREIGN KEY (`split_id`) REFERENCES `split`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `split_reminder` (
	`split_id` text NOT NULL,
	`user_id` text NOT NULL,
	`sent_at` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`split_id`, `user_id`),
	FOREIGN KEY (`split_id`) REFERENCES `split`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `split_share` (
	`split_id` text NOT NULL,
	`user_id` text NOT NULL,
	`position` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`weight` integer,
	PRIMARY KEY(`split_id`, `user_id`),
	FOREIGN KEY (`split_id`) REFERENCES `split`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `split_share_user_idx` ON `split_share` (`user_id`,`split_id`);--> statement-breakpoint
CREATE TABLE `split` (
	`id` text PRIMARY KEY NOT NULL,
	`expense_id` text NOT NULL,
	`group_id` text NOT NULL,
	`group_name` text NOT NULL,
	`payer_id` text NOT NULL,
	`method` text NOT NULL,
	`notes` text,
	`description` text NOT NULL,
	`category` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`expense_date` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`payer_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `split_expense_unique` ON `split` (`expense_id`);--> statement-breakpoint
CREATE INDEX `split_payer_idx` ON `split` (`payer_id`,`status`,`id`);