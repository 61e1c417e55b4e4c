CREATE TABLE `segment_stats` (
	`pilot_id` integer NOT NULL,
	`metric_key` text NOT NULL,
	`phase` text NOT NULL,
	`cohort` text NOT NULL,
	`segment` text NOT NULL,
	`n` integer NOT NULL,
	`sum_x` real NOT NULL,
	`sum_x2` real NOT NULL,
	`sum_y` real NOT NULL,
	`sum_y2` real NOT NULL,
	`sum_xy` real NOT NULL,
	PRIMARY KEY(`pilot_id`, `metric_key`, `phase`, `cohort`, `segment`),
	FOREIGN KEY (`pilot_id`) REFERENCES `pilots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written back-fill, run once with the migration (in its transaction): events stored
-- before segment_stats existed get their segment rollups by the rule ingestion follows
-- (addToRollup in src/lib/server/ingest.ts). Per metric of the pilot's plan that is not a
-- quantile, an event counts when it carries the metric's measure (a ratio: its numerator and
-- its denominator; y is 0 otherwise); events outside both windows (no phase) and events
-- without a segment, or with an empty one, count nowhere. Measures are matched by name with
-- json_each, so no measure name needs quoting in a JSON path; total() never overflows.
INSERT INTO `segment_stats` (`pilot_id`, `metric_key`, `phase`, `cohort`, `segment`, `n`, `sum_x`, `sum_x2`, `sum_y`, `sum_y2`, `sum_xy`)
SELECT o.pilot_id, o.metric_key, o.phase, o.cohort, o.segment,
	count(*), total(o.x), total(o.x * o.x), total(o.y), total(o.y * o.y), total(o.x * o.y)
FROM (
	SELECT e.pilot_id, json_extract(m.value, '$.key') AS metric_key, e.phase, e.cohort, e.segment,
		x.value AS x,
		CASE WHEN json_extract(m.value, '$.kind') = 'ratio' THEN y.value ELSE 0 END AS y
	FROM `plans` p
	JOIN json_each(p.definition, '$.metrics') m
	JOIN `events` e ON e.pilot_id = p.pilot_id
	JOIN json_each(e.measures) x ON x.key = (
		CASE WHEN json_extract(m.value, '$.kind') = 'ratio'
			THEN json_extract(m.value, '$.numerator') ELSE json_extract(m.value, '$.measure') END)
	LEFT JOIN json_each(e.measures) y ON y.key = json_extract(m.value, '$.denominator')
	WHERE json_extract(m.value, '$.kind') <> 'quantile'
		AND e.phase IS NOT NULL AND e.segment IS NOT NULL AND e.segment <> ''
		AND (json_extract(m.value, '$.kind') <> 'ratio' OR y.key IS NOT NULL)
) o
GROUP BY o.pilot_id, o.metric_key, o.phase, o.cohort, o.segment;
