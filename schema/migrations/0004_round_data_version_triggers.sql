-- Bump a round's data_version whenever anything its scores are counted from changes.
CREATE TRIGGER answers_bump_round_insert AFTER INSERT ON answers
BEGIN
  UPDATE rounds SET data_version = data_version + 1 WHERE id = (SELECT round_id FROM sample_cases WHERE id = NEW.sample_case_id);
END;
--> statement-breakpoint
CREATE TRIGGER answers_bump_round_update AFTER UPDATE ON answers
BEGIN
  UPDATE rounds SET data_version = data_version + 1
  WHERE id IN (SELECT round_id FROM sample_cases WHERE id IN (NEW.sample_case_id, OLD.sample_case_id));
END;
--> statement-breakpoint
CREATE TRIGGER answers_bump_round_delete AFTER DELETE ON answers
BEGIN
  UPDATE rounds SET data_version = data_version + 1 WHERE id = (SELECT round_id FROM sample_cases WHERE id = OLD.sample_case_id);
END;
--> statement-breakpoint
CREATE TRIGGER sample_cases_bump_round_insert AFTER INSERT ON sample_cases
BEGIN
  UPDATE rounds SET data_version = data_version + 1 WHERE id = NEW.round_id;
END;
--> statement-breakpoint
CREATE TRIGGER sample_cases_bump_round_update AFTER UPDATE ON sample_cases
BEGIN
  UPDATE rounds SET data_version = data_version + 1 WHERE id IN (NEW.round_id, OLD.round_id);
END;
--> statement-breakpoint
CREATE TRIGGER sample_cases_bump_round_delete AFTER DELETE ON sample_cases
BEGIN
  UPDATE rounds SET data_version = data_version + 1 WHERE id = OLD.round_id;
END;
