// Hostile input, rule by rule: each answer is the 4xx the README promises, its problem+json names
// the field, and nothing stored changes (every row, every blob file). The fuzz test throws
// thousands of these at every route; here each rule is pinned down on its own.
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { bootstrapTeam, problemOf, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { snapshotStore } from '../support/fuzz/snapshot.js';
import {
  bodyCases,
  deviceCases,
  numberCases,
  textCases,
  workerCases,
  type HostileCase,
} from '../support/hostile-cases.js';

describe('hostile input', () => {
  pgTest(
    'each malformed request gets its 4xx naming the field, and nothing changes',
    async ({ db }) => {
      const api = await testApi(db);
      const { key, keyId } = await bootstrapTeam(api, 'Hostile');
      const cat = await createCatalog(api, key);
      const run = await api.json('POST', '/v1/runs', 201, {
        key,
        json: { experimentId: cat.experimentId },
      });
      const token = (await beginAttempt(api.ctx, run.id))!.token;
      await api.json('PUT', `/v1/worker/runs/${run.id}/blobs/ckpt/weights.bin`, 204, {
        key: token,
        body: new Uint8Array([1]),
      });
      const target = { key, keyId, token, runId: run.id, cat };
      const cases: HostileCase[] = [
        ...textCases(target),
        ...numberCases(target),
        ...deviceCases(target),
        ...bodyCases(target),
        ...workerCases(target),
      ];

      const before = await snapshotStore(db, api.ctx.blobRoot);
      for (const c of cases) {
        const res = await api.call(c.method, c.url, c.options);
        const problem = await problemOf(res);
        expect(res.status, `${c.label}: ${JSON.stringify(problem)}`).toBe(c.status);
        expect(res.headers.get('content-type'), c.label).toContain('application/problem+json');
        const paths = (problem.errors ?? []).map((e) => e.path);
        const { field } = c;
        if (typeof field === 'string') expect(paths, c.label).toContain(field);
        else
          expect(
            [...paths, problem.detail].some((p) => field.test(p)),
            c.label,
          ).toBe(true);
      }
      expect(await snapshotStore(db, api.ctx.blobRoot)).toEqual(before);

      const canceled = await api.json('POST', `/v1/runs/${run.id}/cancel`, 200, { key, json: {} });
      expect(canceled.status).toBe('canceled');
    },
  );
});
