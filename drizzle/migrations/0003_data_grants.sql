CREATE TABLE "data_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"kind" text NOT NULL,
	"location" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_grants_team_location_uq" UNIQUE("team_id","kind","location"),
	CONSTRAINT "data_grants_kind_known" CHECK (kind in ('directory', 'url-prefix', 'object-prefix'))
);
--> statement-breakpoint
ALTER TABLE "data_grants" ADD CONSTRAINT "data_grants_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;