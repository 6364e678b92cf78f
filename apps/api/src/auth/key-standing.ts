// Whether a caller's credential still stands as it did when a long request (a run's live stream)
// began: a key not revoked, expired or deleted and with the same role; a session not ended and
// its user's role unchanged. A live stream asks again every `timing.keyRecheckMs` through
// `credentialWatch`.
import type { Role } from '@curio/contracts';
import { eq, sql, type Db } from '@curio/db';
import { apiKeys } from '@curio/db/schema';
import { sessionChange } from './browser-sessions.js';
import type { Credential } from './caller.js';

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

/**
 * A check to call on every turn of a long request's loop: it asks the store at most every
 * `periodMs`, and answers why the credential no longer stands, or undefined while it does.
 */
export function credentialWatch(
  db: Db,
  credential: Credential,
  role: Role,
  periodMs: number,
): () => Promise<string | undefined> {
  let checkedAt = Date.now();
  return async () => {
    if (Date.now() - checkedAt < periodMs) return undefined;
    checkedAt = Date.now();
    return credential.kind === 'key'
      ? keyChange(db, credential.id, role)
      : sessionChange(db, credential.id, role);
  };
}
