import { z } from '@hono/zod-openapi';

export const RunParam = z.object({ runId: z.string().min(1).max(100) });
export const workerTags = ['worker protocol'];
export const workerSecurity = [{ workerToken: [] }];
export const CreatedId = z.object({ id: z.string() });
