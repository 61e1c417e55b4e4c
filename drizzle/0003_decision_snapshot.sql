ALTER TABLE `decisions` ADD `recommended` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `report` text;