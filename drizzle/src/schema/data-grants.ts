// Where a team's data may live: the grants an operator gave it (server directories, URL prefixes,
// object-storage prefixes). Every location a team names is checked against them, at the API and
// again in the worker (`@curio/webdataset`); a team's own uploads need no row.
import { DATA_GRANT_KINDS } from '@curio/contracts';
import { sql } from 'drizzle-orm';
import { check, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn } from './columns';
import { teamIdColumn } from './teams';

export { DATA_GRANT_KINDS };

export const dataGrants = pgTable(
  'data_grants',
  {
    id: idColumn(ID_PREFIXES.dataGrant),
    teamId: teamIdColumn(),
    /** `directory`, `url-prefix` or `object-prefix` (`DATA_GRANT_KINDS`). */
    kind: text('kind', { enum: DATA_GRANT_KINDS }).notNull(),
    /** An absolute real path, an `http(s)://host/prefix/` or an `s3://bucket/prefix/`. */
    location: text('location').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('data_grants_team_location_uq').on(t.teamId, t.kind, t.location),
    check(
      'data_grants_kind_known',
      sql.raw(`kind in (${DATA_GRANT_KINDS.map((k) => `'${k}'`).join(', ')})`),
    ),
  ],
);
export type DataGrantRow = typeof dataGrants.$inferSelect;
