CREATE TABLE `security_event` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`user_id` text,
	`session_id` text,
	`ip` text,
	`user_agent` text,
	`device_name` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `security_event_user_idx` ON `security_event` (`user_id`,`type`,`at`);--> statement-breakpoint
CREATE INDEX `security_event_ip_idx` ON `security_event` (`ip`,`type`,`at`);