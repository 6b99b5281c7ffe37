CREATE TABLE `kept_figures` (
	`key` text NOT NULL,
	`round_id` integer NOT NULL,
	`data_version` integer NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`key`, `round_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
