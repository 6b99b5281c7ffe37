CREATE TABLE `observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`author_id` integer NOT NULL,
	`observed_on` text NOT NULL,
	`agency_id` integer NOT NULL,
	`setting` text NOT NULL,
	`kind` text NOT NULL,
	`themes` text NOT NULL,
	`rights` text NOT NULL,
	`went_well` text NOT NULL,
	`could_improve` text NOT NULL,
	`rating` text NOT NULL,
	`follow_up` text DEFAULT '' NOT NULL,
	`shared_at` text,
	`finding_id` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `observations_author_date` ON `observations` (`author_id`,`observed_on`);--> statement-breakpoint
CREATE INDEX `observations_agency_shared` ON `observations` (`agency_id`,`shared_at`);