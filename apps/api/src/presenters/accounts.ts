// Rows → API shapes for teams, users and keys. Secrets and hashes never leave here.
import type { ApiKey, Team, User } from '@curio/contracts';
import type { ApiKey as ApiKeyRow, Team as TeamRow, User as UserRow } from '@curio/db/schema';
import { iso } from './time.js';

export const presentTeam = (t: TeamRow): Team => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  createdAt: iso(t.createdAt),
});

export const presentUser = (u: UserRow): User => ({ id: u.id, email: u.email, name: u.name });

export const presentKey = (k: ApiKeyRow): ApiKey => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdAt: iso(k.createdAt),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});
