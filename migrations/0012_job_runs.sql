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
CREATE INDEX `job_run_job_idx` ON `job_run` (`job`,`id`);