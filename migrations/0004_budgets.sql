CREATE TABLE `budget_crossing` (
	`budget_id` text NOT NULL,
	`period_start` text NOT NULL,
	`level` text NOT NULL,
	`crossed_at` text NOT NULL,
	PRIMARY KEY(`budget_id`, `period_start`, `level`),
	FOREIGN KEY (`budget_id`) REFERENCES `budget`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `budget` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`category` text,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`period` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`alert_threshold` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `budget_user_idx` ON `budget` (`user_id`,`id`);