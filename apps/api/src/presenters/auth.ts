// Rows → API shapes for invites. Token hashes never leave here.
import type { Invite } from '@curio/contracts';
import type { TeamInvite } from '@curio/db/schema';
import { iso } from './time.js';

export const presentInvite = (i: TeamInvite): Invite => ({
  id: i.id,
  role: i.role,
  email: i.email,
  createdAt: iso(i.createdAt),
  expiresAt: iso(i.expiresAt),
  usedAt: iso(i.usedAt),
});
