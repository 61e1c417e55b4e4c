-- Hand-written, as SQLite's triggers of 0001_access and 0007_audit_log_no_replace: the audit log
-- is append-only, and the database itself refuses to change or delete an entry, with the same
-- names and message as on SQLite. TRUNCATE fires no row trigger, so it is refused on its own; an
-- insert of a taken id is refused before ON CONFLICT could turn it into an update or a no-op.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "audit_log_refuse_taken_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM "audit_log" WHERE "id" = NEW."id") THEN
		RAISE EXCEPTION 'the audit log is append-only';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_replace" BEFORE INSERT ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_taken_id"();
