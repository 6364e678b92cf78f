// Grant rows as the API answers them.
import type { DataGrant } from '@curio/contracts';
import type { DataGrantRow } from '@curio/db/schema';
import { iso } from './time.js';

export function presentGrant(row: DataGrantRow): DataGrant {
  return {
    id: row.id,
    teamId: row.teamId,
    kind: row.kind,
    location: row.location,
    createdAt: iso(row.createdAt),
  };
}
