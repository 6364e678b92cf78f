// Worker tokens: an api_keys row of kind `run`, bound to one run and one attempt, issued when the
// attempt is dispatched. When the run is final its tokens are revoked `graceMs` later (revoked_at
// in the future), so the worker can still hear "stop" and report its end.
import { and, eq, inArray, isNull, sql, type Db } from '@curio/db';
import { apiKeys, runs } from '@curio/db/schema';
import { FINAL_STATUSES } from '@curio/runs';
import { hashSecret, newSecret, prefixOf } from './secrets.js';

export async function issueRunToken(
  db: Db,
  run: { id: string; teamId: string; attempt: number },
): Promise<string> {
  const secret = newSecret('run');
  await db.insert(apiKeys).values({
    teamId: run.teamId,
    kind: 'run',
    name: `worker ${run.id} attempt ${run.attempt}`,
    prefix: prefixOf(secret),
    hash: hashSecret(secret),
    role: 'member',
    runId: run.id,
    attempt: run.attempt,
  });
  return secret;
}

/** Revoke a run's worker tokens `graceMs` from now (those not revoked already). */
export async function revokeRunTokens(db: Db, runId: string, graceMs: number): Promise<void> {
  await db
    .update(apiKeys)
    .set({ revokedAt: sql`now() + (${graceMs} * interval '1 millisecond')` })
    .where(and(eq(apiKeys.kind, 'run'), eq(apiKeys.runId, runId), isNull(apiKeys.revokedAt)));
}

/** Sweep: revoke the tokens of every final run that still has live ones (e.g. reaped runs). */
export async function revokeTokensOfFinalRuns(db: Db, graceMs: number): Promise<void> {
  const finalRuns = db
    .select({ id: runs.id })
    .from(runs)
    .where(inArray(runs.status, [...FINAL_STATUSES]));
  await db
    .update(apiKeys)
    .set({ revokedAt: sql`now() + (${graceMs} * interval '1 millisecond')` })
    .where(
      and(eq(apiKeys.kind, 'run'), isNull(apiKeys.revokedAt), inArray(apiKeys.runId, finalRuns)),
    );
}
