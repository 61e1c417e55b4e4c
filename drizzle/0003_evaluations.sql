CREATE TABLE `evaluation_cases` (
	`run_id` integer NOT NULL,
	`case_id` text NOT NULL,
	`criterion` text NOT NULL,
	`passed` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`run_id`) REFERENCES `evaluation_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluation_cases_unique` ON `evaluation_cases` (`run_id`,`case_id`,`criterion`);--> statement-breakpoint
CREATE TABLE `evaluation_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pilot_id` integer NOT NULL,
	`name` text NOT NULL,
	`run_at` text NOT NULL,
	`criteria` text NOT NULL,
	`source` text NOT NULL,
	`recorded_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `evaluation_runs_pilot_idx` ON `evaluation_runs` (`pilot_id`,`run_at`);