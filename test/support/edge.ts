// The edge entry (`@curio/api/edge`) running in workerd through miniflare, as Cloudflare runs
// it: the esbuild bundle of the bundle check, `nodejs_compat`, the Worker's variables as
// bindings, listening on a loopback port, with its cron handler callable.
import { createServer } from 'node:net';
import { bundleEdge } from '@curio/api/edge-bundle';
import { Miniflare } from 'miniflare';

export interface EdgeApi {
  url: string;
  /** The cron trigger: one `scheduled()` call (schedules, reaper, dispatch). */
  scheduled(): Promise<void>;
  close(): Promise<void>;
}

/** A free loopback port (the Worker must know its own URL before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startEdgeApi(bindings: Record<string, string>, port: number) {
  const bundle = await bundleEdge();
  const mf = new Miniflare({
    modules: true,
    script: bundle.code,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    host: '127.0.0.1',
    port,
    bindings,
  });
  const url = (await mf.ready).origin;
  // (typed by hand: @cloudflare/workers-types, which types it, is not installed)
  const worker = (await mf.getWorker()) as unknown as {
    scheduled(options: { cron: string }): Promise<unknown>;
  };
  return {
    url,
    scheduled: async () => {
      await worker.scheduled({ cron: '* * * * *' });
    },
    close: () => mf.dispose(),
  } satisfies EdgeApi;
}
