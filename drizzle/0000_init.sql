CREATE TABLE `decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pilot_id` integer NOT NULL,
	`decision` text NOT NULL,
	`rationale` text NOT NULL,
	`decided_by` text,
	`decided_at` text NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `decisions_pilot_idx` ON `decisions` (`pilot_id`,`decided_at`);--> statement-breakpoint
CREATE TABLE `pilots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`process` text DEFAULT '' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`stage` text DEFAULT 'draft' NOT NULL,
	`baseline_start` text,
	`baseline_end` text,
	`pilot_start` text,
	`pilot_end` text,
	`charter` text NOT NULL,
	`governance` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`stage_changed_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pilots_slug_unique` ON `pilots` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `pilots_name_unique` ON `pilots` (lower("name"));