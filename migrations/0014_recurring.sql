CREATE TABLE `recurring_expense` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`description` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`category` text NOT NULL,
	`type` text NOT NULL,
	`frequency` text NOT NULL,
	`interval` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`next_index` integer NOT NULL,
	`next_date` text,
	`paused` integer DEFAULT false NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recurring_expense_user_idx` ON `recurring_expense` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `recurring_expense_due_idx` ON `recurring_expense` (`paused`,`next_date`);--> statement-breakpoint
CREATE TABLE `recurring_occurrence` (
	`recurring_id` text NOT NULL,
	`date` text NOT NULL,
	`expense_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`recurring_id`, `date`),
	FOREIGN KEY (`recurring_id`) REFERENCES `recurring_expense`(`id`) ON UPDATE no action ON DELETE cascade
);
