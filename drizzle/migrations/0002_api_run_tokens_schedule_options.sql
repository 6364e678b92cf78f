ALTER TABLE "api_keys" ADD COLUMN "attempt" integer;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "run_options" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_run_attempt" CHECK (("api_keys"."kind" = 'run') = ("api_keys"."attempt" IS NOT NULL));