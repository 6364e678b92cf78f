CREATE TABLE "metric_cells" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"name" text NOT NULL,
	"width" integer NOT NULL,
	"cell" integer NOT NULL,
	"points" integer NOT NULL,
	"first_step" integer NOT NULL,
	"first_value" double precision NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_step" integer NOT NULL,
	"last_value" double precision NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"min_step" integer NOT NULL,
	"min_value" double precision NOT NULL,
	"min_at" timestamp with time zone NOT NULL,
	"max_step" integer NOT NULL,
	"max_value" double precision NOT NULL,
	"max_at" timestamp with time zone NOT NULL,
	CONSTRAINT "metric_cells_pk" PRIMARY KEY("run_id","name","width","cell")
);
--> statement-breakpoint
ALTER TABLE "metric_cells" ADD CONSTRAINT "metric_cells_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_cells" ADD CONSTRAINT "metric_cells_run_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;