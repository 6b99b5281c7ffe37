CREATE TABLE `reported_figures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agency_id` integer NOT NULL,
	`measure` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`percent` real NOT NULL,
	`cases` integer NOT NULL,
	`finding_id` integer,
	`entered_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reported_figures_agency_measure_period` ON `reported_figures` (`agency_id`,`measure`,`period_from`,`period_to`);