CREATE TABLE `receipt` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expense_id` text,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`status` text NOT NULL,
	`failure_reason` text,
	`extracted_text` text,
	`total_hundredths` integer,
	`currency` text,
	`date` text,
	`merchant` text,
	`line_items` text DEFAULT '[]' NOT NULL,
	`confidence` real,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_until` text,
	`created_at` text NOT NULL,
	`processed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `receipt_user_idx` ON `receipt` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `receipt_user_expense_idx` ON `receipt` (`user_id`,`expense_id`);--> statement-breakpoint
CREATE INDEX `receipt_pending_idx` ON `receipt` (`status`,`claimed_until`);