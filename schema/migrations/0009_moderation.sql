CREATE TABLE `moderation_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`sample_case_id` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`second_marker_id` integer,
	`facts_agree` integer,
	`facts_note` text,
	`second_completed_at` text,
	`facts_resolution` text,
	`facts_resolved_by` integer,
	`facts_resolved_at` text,
	`selected_at` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sample_case_id`) REFERENCES `sample_cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`second_marker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`facts_resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moderation_cases_sampleCaseId_unique` ON `moderation_cases` (`sample_case_id`);--> statement-breakpoint
CREATE INDEX `moderation_cases_round` ON `moderation_cases` (`round_id`);--> statement-breakpoint
CREATE INDEX `moderation_cases_marker` ON `moderation_cases` (`second_marker_id`);--> statement-breakpoint
ALTER TABLE `sample_cases` ADD `unsure` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sample_cases` ADD `unsure_reason` text;