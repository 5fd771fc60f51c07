CREATE TABLE `group_expense` (
	`group_id` text NOT NULL,
	`expense_id` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`group_id`, `expense_id`),
	FOREIGN KEY (`group_id`) REFERENCES `expense_group`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `group_invitation` (
	`group_id` text NOT NULL,
	`email` text NOT NULL,
	`invited_by` text NOT NULL,
	`invited_at` text NOT NULL,
	PRIMARY KEY(`group_id`, `email`),
	FOREIGN KEY (`group_id`) REFERENCES `expense_group`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_invitation_email_idx` ON `group_invitation` (`email`);--> statement-breakpoint
CREATE TABLE `group_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`kind` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`minor_per_unit` integer NOT NULL,
	`date` text NOT NULL,
	`source_id` text NOT NULL,
	`recorded_by` text,
	`note` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `expense_group`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_ledger_group_idx` ON `group_ledger` (`group_id`,`kind`,`id`);--> statement-breakpoint
CREATE TABLE `group_member` (
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`is_active` integer NOT NULL,
	`joined_at` text NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `expense_group`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_member_user_idx` ON `group_member` (`user_id`,`is_active`);--> statement-breakpoint
CREATE TABLE `expense_group` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_by` text NOT NULL,
	`currency` text NOT NULL,
	`allow_public_expenses` integer NOT NULL,
	`require_approval` integer NOT NULL,
	`default_split_method` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
