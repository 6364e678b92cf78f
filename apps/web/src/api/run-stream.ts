// The run's live stream (GET /v1/runs/{id}/stream, server-sent events; same origin, so the
// session cookie goes with it). Each named event is parsed with its contract schema.
import { RunStreamEvents, type RunStreamEventName } from '@curio/contracts';
import { useEffect, useRef } from 'react';
import type { z } from 'zod';

export type RunStreamMessage = {
  [K in RunStreamEventName]: { name: K; data: z.infer<(typeof RunStreamEvents)[K]> };
}[RunStreamEventName];

/** Calls `onMessage` for every event of the run's stream while `live` is true. */
export function useRunStream(
  runId: string,
  live: boolean,
  onMessage: (m: RunStreamMessage) => void,
): void {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/v1/runs/${encodeURIComponent(runId)}/stream`, {
      withCredentials: true,
    });
    for (const name of Object.keys(RunStreamEvents) as RunStreamEventName[]) {
      source.addEventListener(name, (e) => {
        const parsed = RunStreamEvents[name].safeParse(JSON.parse((e as MessageEvent).data));
        if (parsed.success) handler.current({ name, data: parsed.data } as RunStreamMessage);
        if (name === 'end' || name === 'closed') source.close();
      });
    }
    return () => source.close();
  }, [runId, live]);
}
