// Whether a key still stands as it did when a long request (a run's live stream) began: not
// revoked, not expired, not deleted, and with the same role. Streams ask again every
// `timing.keyRecheckMs`.
import type { Role } from '@curio/contracts';
import { eq, sql, type Db } from '@curio/db';
import { apiKeys } from '@curio/db/schema';

/** Why the key no longer stands, or undefined while it does. */
export async function keyChange(db: Db, keyId: string, role: Role): Promise<string | undefined> {
  const [key] = await db
    .select({
      role: apiKeys.role,
      revoked: sql<boolean>`${apiKeys.revokedAt} is not null and ${apiKeys.revokedAt} <= now()`,
      expired: sql<boolean>`${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= now()`,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId));
  if (!key) return 'the key no longer exists';
  if (key.revoked) return 'the key has been revoked';
  if (key.expired) return 'the key has expired';
  if (key.role !== role) return `the key's role changed from ${role} to ${key.role}`;
  return undefined;
}
