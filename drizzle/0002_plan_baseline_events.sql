CREATE TABLE `baseline_summaries` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`n` integer NOT NULL,
	`mean` real,
	`sd` real,
	`successes` integer,
	`source` text NOT NULL,
	`entered_at` text NOT NULL,
	PRIMARY KEY(`pilot_id`, `metric_key`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `daily_cases` (
	`pilot_id` integer NOT NULL,
	`day` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`pilot_id`, `phase`, `cohort`, `day`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `daily_stats` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`day` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`n` integer NOT NULL,
	`sum_x` real NOT NULL,
	`sum_x2` real NOT NULL,
	`sum_y` real NOT NULL,
	`sum_y2` real NOT NULL,
	`sum_xy` real NOT NULL,
	PRIMARY KEY(`pilot_id`, `metric_key`, `phase`, `cohort`, `day`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pilot_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`occurred_at` text NOT NULL,
	`day` text NOT NULL,
	`phase` text,
	`cohort` text NOT NULL,
	`segment` text,
	`measures` text NOT NULL,
	`content_hash` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_pilot_external_unique` ON `events` (`pilot_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `plan_amendments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pilot_id` integer NOT NULL,
	`reason` text NOT NULL,
	`changed` text NOT NULL,
	`previous` text NOT NULL,
	`amended_by` text,
	`amended_at` text NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plan_amendments_pilot_idx` ON `plan_amendments` (`pilot_id`,`amended_at`);--> statement-breakpoint
CREATE TABLE `plans` (
	`pilot_id` integer PRIMARY KEY NOT NULL,
	`definition` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`locked_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `quantile_values` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`day` text NOT NULL,
	`value` real NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quantile_values_lookup_idx` ON `quantile_values` (`pilot_id`,`metric_key`,`phase`,`cohort`,`value`);--> statement-breakpoint
ALTER TABLE `decisions` ADD `recommended` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `report` text;