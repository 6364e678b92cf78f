CREATE TABLE "growth_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"step" integer NOT NULL,
	"parent_checkpoint_id" text,
	"data" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "growth_steps_run_step_uq" UNIQUE("run_id","step")
);
--> statement-breakpoint
CREATE TABLE "schedule_firings" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"schedule_id" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"run_id" text,
	"message" text NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	CONSTRAINT "schedule_firings_schedule_due_uq" UNIQUE("schedule_id","due_at")
);
--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "kind" text DEFAULT 'run' NOT NULL;--> statement-breakpoint
ALTER TABLE "schedules" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "growth_steps" ADD CONSTRAINT "growth_steps_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "growth_steps" ADD CONSTRAINT "growth_steps_parent_checkpoint_id_checkpoints_id_fk" FOREIGN KEY ("parent_checkpoint_id") REFERENCES "public"."checkpoints"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "growth_steps" ADD CONSTRAINT "growth_steps_run_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_firings" ADD CONSTRAINT "schedule_firings_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_firings" ADD CONSTRAINT "schedule_firings_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schedule_firings_team_idx" ON "schedule_firings" USING btree ("team_id","schedule_id");--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_team_id_uq" UNIQUE("team_id","id");