// Device time and cost. A worker reports its own attempt's device-seconds; the run's totals are
// what earlier attempts used (recorded on the attempt's `dispatching` event) plus this attempt's
// time priced by the device the worker said it runs on.
import { and, desc, eq, sql, type Db } from '@curio/db';
import { runEvents, type Run } from '@curio/db/schema';
import type { PriceTable } from '../prices.js';
import { costOf } from '../prices.js';

export interface Usage {
  deviceSeconds: number;
  costEstimate: number;
}

/** What the run had used before `attempt` started. */
export async function usageBefore(db: Db, runId: string, attempt: number): Promise<Usage> {
  const [event] = await db
    .select({ data: runEvents.data })
    .from(runEvents)
    .where(
      and(
        eq(runEvents.runId, runId),
        eq(runEvents.toStatus, 'dispatching'),
        sql`(${runEvents.data}->>'attempt')::int = ${attempt}`,
      ),
    )
    .orderBy(desc(runEvents.seq))
    .limit(1);
  const data = event?.data ?? {};
  return {
    deviceSeconds: Number(data.deviceSecondsBefore ?? 0),
    costEstimate: Number(data.costBefore ?? 0),
  };
}

/** The run's totals once this attempt has used `attemptSeconds`. */
export function totalUsage(
  prices: PriceTable,
  run: Pick<Run, 'device'>,
  before: Usage,
  attemptSeconds: number,
): Usage {
  return {
    deviceSeconds: before.deviceSeconds + attemptSeconds,
    costEstimate: before.costEstimate + costOf(prices, run.device, attemptSeconds),
  };
}
