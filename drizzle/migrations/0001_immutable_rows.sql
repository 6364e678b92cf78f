-- Custom migration (drizzle-kit generate --custom): rows that must never change once written.
-- metadata_set_versions: a change to a metadata set is a new version.
-- run_events: the run's event log is append-only.
CREATE OR REPLACE FUNCTION "curio_refuse_update"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of % are immutable: insert a new row instead', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "metadata_set_versions_immutable" BEFORE UPDATE ON "metadata_set_versions"
  FOR EACH ROW EXECUTE FUNCTION "curio_refuse_update"();
--> statement-breakpoint
CREATE TRIGGER "run_events_immutable" BEFORE UPDATE ON "run_events"
  FOR EACH ROW EXECUTE FUNCTION "curio_refuse_update"();
