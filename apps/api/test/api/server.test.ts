// startApi: the API on Node from the environment (embedded PGlite under CURIO_DATA_DIR, migrated
// at start), serving HTTP; a worker process that exits without reporting fails its attempt.
import { join } from 'node:path';
import { pgTest } from '@curio/testing';
import { describe, expect, test } from 'vitest';
import { readApiEnv } from '../../src/env.js';
import { startApi } from '../../src/server.js';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { handleWorkerExit } from '../../src/services/worker-exit.js';
import { bootstrapTeam, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { tempDir } from '../support/data.js';

describe('server', () => {
  test('startApi serves the API on the embedded store', async () => {
    const dir = await tempDir('curio-api-server-');
    const env = readApiEnv({
      CURIO_DATA_DIR: join(dir, 'store'),
      CURIO_API_PORT: '0',
      CURIO_DISPATCHER: 'none',
    });
    const api = await startApi({ env, deps: { log: () => {} } });
    try {
      const health = await fetch(`${api.url}/v1/health`);
      expect(await health.json()).toMatchObject({ ok: true });
      const boot = await fetch(`${api.url}/v1/bootstrap`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ teamName: 'Served', email: 'served@example.com' }),
      });
      expect(boot.status).toBe(201);
      const doc = await (await fetch(`${api.url}/v1/openapi.json`)).json();
      expect((doc as { openapi: string }).openapi).toBe('3.1.0');
    } finally {
      await api.close();
    }
  });

  test('the environment is checked, naming each bad variable', () => {
    expect(() => readApiEnv({ DATABASE_URL: 'mysql://x', CURIO_API_PORT: 'eighty' })).toThrow(
      /DATABASE_URL.*CURIO_API_PORT|CURIO_API_PORT.*DATABASE_URL/,
    );
    expect(readApiEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
    expect(() => readApiEnv({ CURIO_ADMIN_TOKEN: 'x'.repeat(31) })).toThrow(
      /CURIO_ADMIN_TOKEN must be at least 32 characters/,
    );
    expect(readApiEnv({ CURIO_ADMIN_TOKEN: 'x'.repeat(32) }).CURIO_ADMIN_TOKEN).toHaveLength(32);
    expect(readApiEnv({}).CURIO_BACKGROUND).toEqual(['dispatch', 'reaper', 'schedules']);
    expect(readApiEnv({ CURIO_BACKGROUND: ' dispatch ' }).CURIO_BACKGROUND).toEqual(['dispatch']);
    expect(() => readApiEnv({ CURIO_BACKGROUND: 'dispatch,reap' })).toThrow(
      /CURIO_BACKGROUND.*a job: dispatch, reaper, schedules/,
    );
  });

  pgTest('a worker that exits without reporting fails its attempt (retried)', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Exit');
    const cat = await createCatalog(api, key);
    const run = await api.json('POST', '/v1/runs', 201, {
      key,
      json: { experimentId: cat.experimentId },
    });
    await beginAttempt(api.ctx, run.id);
    expect(
      await handleWorkerExit(api.ctx, { runId: run.id, attempt: 2, code: 1, signal: null }),
    ).toBe(false);
    expect(
      await handleWorkerExit(api.ctx, { runId: run.id, attempt: 1, code: null, signal: 'SIGKILL' }),
    ).toBe(true);
    const shown = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
    expect(shown).toMatchObject({ status: 'queued', attempt: 1 });
    const events = await api.json('GET', `/v1/runs/${run.id}/events`, 200, { key });
    expect(events.items.map((e: { message: string }) => e.message)).toContain(
      'failed: worker exited (signal SIGKILL) without reporting its end',
    );
  });
});
