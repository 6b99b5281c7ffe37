CREATE TABLE `agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`short_name` text NOT NULL,
	`type` text NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_name_unique` ON `agencies` (`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`agency_id` integer,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` integer,
	`actor_email` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `round_agencies` (
	`round_id` integer NOT NULL,
	`agency_id` integer NOT NULL,
	PRIMARY KEY(`round_id`, `agency_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`edition` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`rag_green` real DEFAULT 95 NOT NULL,
	`rag_amber` real DEFAULT 80 NOT NULL,
	`moderation_share` real DEFAULT 0.1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `time_limit_overrides` (
	`round_id` integer NOT NULL,
	`item_id` text NOT NULL,
	`standard_days` integer,
	`enhanced_days` integer,
	`reason` text NOT NULL,
	PRIMARY KEY(`round_id`, `item_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `population_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`case_ref` text NOT NULL,
	`reported_on` text NOT NULL,
	`offence_group` text NOT NULL,
	`district` text NOT NULL,
	`under18` integer,
	`vulnerable` integer,
	`intimidated` integer,
	`persistently_targeted` integer,
	`bereaved` integer,
	`domestic_abuse` integer,
	`hate_crime` integer,
	`outcome` text,
	`events` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `population_cases_round_ref` ON `population_cases` (`round_id`,`case_ref`);--> statement-breakpoint
CREATE INDEX `population_cases_round_district` ON `population_cases` (`round_id`,`district`);--> statement-breakpoint
CREATE TABLE `population_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`file_sha256` text NOT NULL,
	`rows` integer NOT NULL,
	`imported_at` text NOT NULL,
	`imported_by` integer,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sample_case_id` integer NOT NULL,
	`marker` text DEFAULT 'primary' NOT NULL,
	`obligation_key` text NOT NULL,
	`item_id` text NOT NULL,
	`agency_id` integer,
	`outcome` text,
	`evidence_date` text,
	`due_date` text,
	`days_late` integer,
	`timeliness_override` text,
	`override_reason` text,
	`note` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`sample_case_id`) REFERENCES `sample_cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answers_case_marker_key` ON `answers` (`sample_case_id`,`marker`,`obligation_key`);--> statement-breakpoint
CREATE INDEX `answers_agency_item` ON `answers` (`agency_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `sample_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`population_case_id` integer NOT NULL,
	`stratum` text NOT NULL,
	`draw_position` integer NOT NULL,
	`status` text DEFAULT 'not_started' NOT NULL,
	`replaces_id` integer,
	`replacement_reason` text,
	`auditor_id` integer,
	`owning_agency_id` integer,
	`facts` text,
	`return_comment` text,
	`completed_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`population_case_id`) REFERENCES `population_cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`auditor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owning_agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sample_cases_round_case` ON `sample_cases` (`round_id`,`population_case_id`);--> statement-breakpoint
CREATE INDEX `sample_cases_auditor` ON `sample_cases` (`auditor_id`);--> statement-breakpoint
CREATE TABLE `sample_draws` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`seed` text NOT NULL,
	`stratify_by` text NOT NULL,
	`allocation` text NOT NULL,
	`margin_of_error` integer NOT NULL,
	`confidence` integer NOT NULL,
	`minimum_per_stratum` integer NOT NULL,
	`population_sha256` text NOT NULL,
	`strata` text NOT NULL,
	`drawn_at` text NOT NULL,
	`drawn_by` integer,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sample_draws_roundId_unique` ON `sample_draws` (`round_id`);