ALTER TABLE `rounds` ADD `framework` text DEFAULT 'victims_code' NOT NULL;--> statement-breakpoint
ALTER TABLE `framework_items` ADD `framework` text DEFAULT 'victims_code' NOT NULL;