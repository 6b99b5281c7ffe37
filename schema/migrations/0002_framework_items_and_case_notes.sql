CREATE TABLE `framework_items` (
	`id` text PRIMARY KEY NOT NULL,
	`edition` text NOT NULL,
	`title` text NOT NULL,
	`agency_type` text NOT NULL,
	`theme` text NOT NULL,
	`grp` text NOT NULL,
	`right_no` integer,
	`moj_measure` text,
	`has_time_limit` integer NOT NULL,
	`confirmation` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `population_cases` ADD `agency_ref` text;--> statement-breakpoint
ALTER TABLE `sample_cases` ADD `unusable_reason` text;