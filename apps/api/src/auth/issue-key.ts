// Issuing a team API key: the secret is returned once; only its hash and prefix are stored.
import type { Role } from '@curio/contracts';
import type { Db } from '@curio/db';
import { apiKeys, type ApiKey } from '@curio/db/schema';
import { hashSecret, newSecret, prefixOf } from './secrets.js';

export async function issueTeamKey(
  db: Db,
  input: { teamId: string; name: string; role: Role; userId: string | null },
): Promise<{ key: ApiKey; secret: string }> {
  const secret = newSecret('team');
  const [key] = await db
    .insert(apiKeys)
    .values({
      teamId: input.teamId,
      kind: 'team',
      name: input.name,
      role: input.role,
      userId: input.userId,
      prefix: prefixOf(secret),
      hash: hashSecret(secret),
    })
    .returning();
  return { key: key!, secret };
}
