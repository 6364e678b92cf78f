// Bounds on every number that reaches the store or the trainer, in one place: a step, a version
// or an attempt lives in an int4 column; batch sizes, intervals and budgets get limits a real run
// stays far inside, so a typo or a hostile value is a 400 naming the field instead of a failed
// insert or a worker that allocates without end.
import { z } from 'zod';

/** The largest value of a PostgreSQL `integer` (int4) column. */
export const INT4_MAX = 2_147_483_647;

/** Training steps: a stop, an interval or a reported step (stored as int4). */
export const MAX_STEPS = 100_000_000;
/** Pairs in one contrastive batch (and in one sub-batch). */
export const MAX_BATCH = 65_536;
/** Minutes of a budget, a stop or a schedule interval: one year. */
export const MAX_MINUTES = 525_600;
/** Seconds of device or wall time a worker reports (about 30 years). */
export const MAX_SECONDS = 1e9;
/** The largest cost budget, in the price table's currency. */
export const MAX_COST = 1e9;

/** An integer in [min, max]. */
export const boundedInt = (min: number, max: number) => z.number().int().min(min).max(max);

/** A positive count that fits an int4 column. */
export const positiveInt = z.number().int().positive().max(INT4_MAX);
/** A number of training steps, at least 1. */
export const stepCount = boundedInt(1, MAX_STEPS);
/** A share in [0, 1]. */
export const fraction = z.number().min(0).max(1);

/** A step of training (0 = before the first), as the trainer reports it. */
export const Step = boundedInt(0, MAX_STEPS);
/** An attempt number of a run (1, 2, …). */
export const Attempt = boundedInt(1, INT4_MAX);
/** Seconds of device or wall time. */
export const Seconds = z.number().min(0).max(MAX_SECONDS);

/** A device kind: a key of the API's price table, e.g. `cpu`, `nvidia-h100`. */
export const DeviceKind = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,49}$/,
    'a device kind is lower-case letters, digits, ".", "_" and "-" (e.g. cpu, nvidia-h100)',
  );
