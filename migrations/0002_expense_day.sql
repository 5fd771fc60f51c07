CREATE TABLE `expense_category_day` (
	`user_id` text NOT NULL,
	`type` text NOT NULL,
	`day` text NOT NULL,
	`currency` text NOT NULL,
	`minor_per_unit` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`count` integer NOT NULL,
	`category` text NOT NULL,
	PRIMARY KEY(`user_id`, `type`, `day`, `currency`, `category`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `expense_day` (
	`user_id` text NOT NULL,
	`type` text NOT NULL,
	`day` text NOT NULL,
	`currency` text NOT NULL,
	`minor_per_unit` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`user_id`, `type`, `day`, `currency`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
