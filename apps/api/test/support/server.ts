// The API on a real port with its background loops, for end-to-end tests: workers started by a
// real LocalDispatcher reach it over HTTP. Calls from the test itself go through app.request.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '@curio/blob-store';
import type { CurioDb } from '@curio/db';
import type { Dispatcher } from '@curio/dispatch';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, resolveDeps, type AppDeps } from '../../src/app.js';
import type { Timing } from '../../src/deps.js';
import { startBackground, type Background } from '../../src/services/background.js';
import { ADMIN_TOKEN, type TestApi } from './api.js';

export interface ServedApi extends TestApi {
  url: string;
  port: number;
  background: Background;
  /** Stop serving and the loops; the store stays open (the caller owns it). */
  close(): Promise<void>;
}

export async function serveTestApi(
  db: CurioDb,
  o: {
    dispatcher: Dispatcher;
    port?: number;
    blobRoot?: string;
    blobStore?: BlobStore;
    timing?: Partial<Timing>;
    log?: (m: string) => void;
  },
): Promise<ServedApi> {
  const holder: { app?: ReturnType<typeof createApp> } = {};
  const server: ServerType = await new Promise((ok, fail) => {
    const s = serve(
      { fetch: (req) => holder.app!.fetch(req), hostname: '127.0.0.1', port: o.port ?? 0 },
      () => ok(s),
    );
    s.once('error', fail);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const deps: AppDeps = {
    db,
    dispatcher: o.dispatcher,
    blobRoot: o.blobRoot ?? (await mkdtemp(join(tmpdir(), 'curio-e2e-blobs-'))),
    ...(o.blobStore && { blobStore: o.blobStore }),
    publicUrl: url,
    adminToken: ADMIN_TOKEN,
    timing: o.timing ?? {},
    log: o.log ?? (() => {}),
  };
  const app = createApp(deps);
  holder.app = app;
  const ctx = resolveDeps(deps);
  const background = startBackground(ctx);
  const call = (
    method: string,
    path: string,
    c: { key?: string | undefined; json?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.key) headers.authorization = `Bearer ${c.key}`;
    if (c.json !== undefined) headers['content-type'] = 'application/json';
    return Promise.resolve(
      app.request(path, {
        method,
        headers,
        ...(c.json !== undefined && { body: JSON.stringify(c.json) }),
      }),
    );
  };
  return {
    app,
    ctx,
    deps,
    url,
    port,
    background,
    call,
    async json(method, path, status, options) {
      const res = await call(method, path, options);
      const text = await res.text();
      if (res.status !== status)
        throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    cleanup: async () => {},
    close: async () => {
      await background.stop();
      (server as import('node:http').Server).closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Poll `check` until it returns a value (not undefined/false), or fail after `timeoutMs`. */
export async function waitFor<T>(
  label: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
