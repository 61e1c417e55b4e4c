CREATE TABLE `quantile_buckets` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`lo` real NOT NULL,
	`n` integer NOT NULL,
	`min_value` real NOT NULL,
	`max_value` real NOT NULL,
	PRIMARY KEY(`pilot_id`, `metric_key`, `phase`, `cohort`, `lo`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written back-fill, run once with the migration (in its transaction): the values stored
-- before quantile_buckets existed are cut into buckets of 512 consecutive values per pilot,
-- metric, phase and cohort (quantile-buckets.ts cuts at 1,024 into about 512). A bucket is a
-- range of values, so equal values share one: each value goes to the bucket whose lo (the
-- smallest value of one chunk of 512) is the largest at or below it; the frame of max() over
-- ORDER BY value holds every value up to and including the current one and its equals.
INSERT INTO `quantile_buckets` (`pilot_id`, `metric_key`, `phase`, `cohort`, `lo`, `n`, `min_value`, `max_value`)
SELECT pilot_id, metric_key, phase, cohort, lo, count(*), min(value), max(value)
FROM (
	SELECT pilot_id, metric_key, phase, cohort, value,
		max(chunk_lo) OVER (PARTITION BY pilot_id, metric_key, phase, cohort ORDER BY value) AS lo
	FROM (
		SELECT pilot_id, metric_key, phase, cohort, value,
			min(value) OVER (PARTITION BY pilot_id, metric_key, phase, cohort, chunk) AS chunk_lo
		FROM (
			SELECT pilot_id, metric_key, phase, cohort, value,
				(row_number() OVER (PARTITION BY pilot_id, metric_key, phase, cohort ORDER BY value) - 1) / 512 AS chunk
			FROM `quantile_values`
		)
	)
)
GROUP BY pilot_id, metric_key, phase, cohort, lo;
