// The run commands against a real API whose dispatcher has no room (runs stay queued): start,
// list, show, logs, and wait following the live stream until a cancel ends the run.
import { pgTest } from '@curio/testing';
import { expect } from 'vitest';
import { apiGet, serveApi, cliEnv } from './support/api.js';
import { createCatalog } from './support/catalog.js';
import { curio } from './support/cli.js';

pgTest(
  'runs start, list, show, logs, cancel; wait follows the stream to the end',
  async ({ db }) => {
    const api = await serveApi(db);
    try {
      const env = await cliEnv(api);
      await createCatalog(api, env);

      const started = await curio(
        [
          'runs',
          'start',
          'tiny',
          '--max-minutes',
          '5',
          '--target',
          '0.8',
          '--idempotency-key',
          'k1',
          '--json',
        ],
        env,
      );
      expect(started.code).toBe(0);
      const run = started.json();
      expect(run).toMatchObject({
        status: 'queued',
        budget: { maxMinutes: 5, maxCost: null },
        targetAccuracy: 0.8,
        targetEvalSet: 'shapes',
      });
      const again = await curio(
        ['runs', 'start', 'tiny', '--idempotency-key', 'k1', '--json'],
        env,
      );
      expect(again.json().id).toBe(run.id);
      const plain = await curio(['runs', 'start', 'tiny'], env);
      expect(plain.stdout).toMatch(
        /^started run run_\w+ \(queued\); follow it with `curio runs wait run_\w+`/,
      );

      const list = await curio(['runs', 'list', '--json'], env);
      expect(list.json()).toEqual((await apiGet(api, '/v1/runs')).items);
      expect(list.json()).toHaveLength(2);
      const queued = await curio(
        ['runs', 'list', '--status', 'queued', '--experiment', 'tiny'],
        env,
      );
      expect(queued.stdout.split('\n').filter((l) => l.includes('queued'))).toHaveLength(2);

      const shown = await curio(['runs', 'show', run.id], env);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/status\s+queued/);
      expect(shown.stdout).toMatch(/budget\s+5 min/);
      expect(shown.stdout).toMatch(/temperature τ\s+–/); // no steps yet
      expect(shown.stdout).toMatch(/target\s+top-1 80\.0% on shapes/);
      expect(shown.stdout).toContain('no evaluations');
      expect((await curio(['runs', 'show', run.id, '--json'], env)).json()).toEqual(
        await apiGet(api, `/v1/runs/${run.id}`),
      );

      // wait follows the live stream; a cancel from elsewhere ends the run and the wait
      const waiting = curio(['runs', 'wait', run.id], env);
      await new Promise((r) => setTimeout(r, 1500));
      const canceled = await curio(['runs', 'cancel', run.id], env);
      expect(canceled.code).toBe(0);
      expect(canceled.stdout).toMatch(new RegExp(`^canceled run ${run.id}`));
      const waited = await waiting;
      expect(waited.code).toBe(4);
      expect(waited.stderr).toMatch(/(queued|canceled)\s+step 0/); // the progress line (canceled if the machine is slow)
      expect(waited.stderr).toMatch(/queued → canceled: canceled/);
      expect(waited.stdout).toContain(`run ${run.id} was canceled`);
      expect(waited.stdout).toContain('no evaluations');

      // a final run: wait answers at once, --json prints the run detail
      const final = await curio(['runs', 'wait', run.id, '--json'], env);
      expect(final.code).toBe(4);
      expect(final.json()).toMatchObject({
        id: run.id,
        status: 'canceled',
        stopReason: 'canceled',
        evaluations: [],
      });

      const logs = await curio(['runs', 'logs', run.id], env);
      expect(logs.code).toBe(0);
      expect(logs.stdout).toMatch(/status\s+· → queued: created/);
      expect(logs.stdout).toMatch(/status\s+queued → canceled: canceled/);
      const events = await curio(['runs', 'logs', run.id, '--json', '--type', 'status'], env);
      expect(events.json()).toEqual(
        (await apiGet(api, `/v1/runs/${run.id}/events?type=status`)).items,
      );

      const followed = await curio(['runs', 'logs', run.id, '--follow'], env);
      expect(followed.code).toBe(4);
      expect(followed.stderr).toMatch(/queued → canceled/);
      expect(followed.stdout).toContain(`run ${run.id} was canceled`);

      const twice = await curio(['runs', 'cancel', run.id], env);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toMatch(/^curio: runs cancel: 409 Conflict: /);
    } finally {
      await api.close();
    }
  },
);
