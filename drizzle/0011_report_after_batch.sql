CREATE TABLE `daily_versions` (
	`pilot_id` integer NOT NULL,
	`day` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`pilot_id`, `day`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `quantile_ranges` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`lo` real NOT NULL,
	`n` integer NOT NULL,
	`buckets` integer NOT NULL,
	PRIMARY KEY(`pilot_id`, `metric_key`, `phase`, `cohort`, `lo`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written back-fill, run once with the migration (in its transaction): the buckets stored
-- before quantile_ranges existed are grouped into ranges of 64 consecutive buckets per pilot,
-- metric, phase and cohort (quantile-ranges.ts cuts a range past 128 buckets into ranges of 64).
-- daily_versions needs none: a process that keeps per-day rows reads them whole first.
INSERT INTO `quantile_ranges` (`pilot_id`, `metric_key`, `phase`, `cohort`, `lo`, `n`, `buckets`)
SELECT pilot_id, metric_key, phase, cohort, min(lo), sum(n), count(*)
FROM (
	SELECT pilot_id, metric_key, phase, cohort, lo, n,
		(row_number() OVER (PARTITION BY pilot_id, metric_key, phase, cohort ORDER BY lo) - 1) / 64 AS chunk
	FROM `quantile_buckets`
)
GROUP BY pilot_id, metric_key, phase, cohort, chunk;
