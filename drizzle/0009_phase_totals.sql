CREATE TABLE `data_versions` (
	`pilot_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `phase_cases` (
	`pilot_id` integer NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`pilot_id`, `phase`, `cohort`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `phase_stats` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`n` integer NOT NULL,
	`sum_x` real NOT NULL,
	`sum_x2` real NOT NULL,
	`sum_y` real NOT NULL,
	`sum_y2` real NOT NULL,
	`sum_xy` real NOT NULL,
	PRIMARY KEY(`pilot_id`, `metric_key`, `phase`, `cohort`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written back-fill, run once with the migration (in its transaction): the totals of the
-- rollups stored before these tables existed, summed as the reports summed them until now, and
-- a first data version for every pilot with rollups.
INSERT INTO `phase_stats` (`pilot_id`, `metric_key`, `phase`, `cohort`, `n`, `sum_x`, `sum_x2`, `sum_y`, `sum_y2`, `sum_xy`)
SELECT `pilot_id`, `metric_key`, `phase`, `cohort`, sum(`n`), sum(`sum_x`), sum(`sum_x2`), sum(`sum_y`), sum(`sum_y2`), sum(`sum_xy`)
FROM `daily_stats` GROUP BY `pilot_id`, `metric_key`, `phase`, `cohort`;
--> statement-breakpoint
INSERT INTO `phase_cases` (`pilot_id`, `phase`, `cohort`, `n`)
SELECT `pilot_id`, `phase`, `cohort`, sum(`n`) FROM `daily_cases` GROUP BY `pilot_id`, `phase`, `cohort`;
--> statement-breakpoint
INSERT INTO `data_versions` (`pilot_id`, `version`) SELECT `id`, 1 FROM `pilots`;
