CREATE TABLE `job_lease` (
	`job` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`run_id` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_run` (
	`id` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`trigger` text NOT NULL,
	`holder` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`outcome` text NOT NULL,
	`items` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `job_run_job_idx` ON `job_run` (`job`,`id`);--> statement-breakpoint
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
--> statement-breakpoint
DROP INDEX `email_outbox_status_idx`;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `next_attempt_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `claim_id` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `claimed_at` integer;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `provider_message_id` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `sent_at` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `failure` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `last_error` text;--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_user_idx` ON `email_outbox` (`user_id`,`id`);