CREATE TABLE `action_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action_id` integer NOT NULL,
	`on` text NOT NULL,
	`note` text NOT NULL,
	`status_after` text NOT NULL,
	`by_user_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`action_id`) REFERENCES `finding_actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_updates_action` ON `action_updates` (`action_id`);--> statement-breakpoint
CREATE TABLE `finding_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`finding_id` integer NOT NULL,
	`owner_agency_id` integer NOT NULL,
	`description` text NOT NULL,
	`due_date` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `finding_actions_finding` ON `finding_actions` (`finding_id`);--> statement-breakpoint
CREATE INDEX `finding_actions_owner_status` ON `finding_actions` (`owner_agency_id`,`status`);--> statement-breakpoint
CREATE TABLE `findings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`agency_id` integer NOT NULL,
	`title` text NOT NULL,
	`item_ids` text NOT NULL,
	`evidence` text NOT NULL,
	`case_refs` text NOT NULL,
	`severity` text NOT NULL,
	`recommendation` text NOT NULL,
	`status` text NOT NULL,
	`decline_reason` text,
	`return_reason` text,
	`response` text,
	`responded_at` text,
	`raised_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`raised_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `findings_agency_status` ON `findings` (`agency_id`,`status`);--> statement-breakpoint
CREATE INDEX `findings_round` ON `findings` (`round_id`);