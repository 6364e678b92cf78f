// Bad input is a 4xx whose problem+json names the problem, and nothing is stored: invalid
// config (naming the field), unknown pool, malformed JSON, oversized body, wrong content type.
import { count, type Db } from '@curio/db';
import { experiments, pools, runs } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { bootstrapTeam, testApi, problemOf } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

async function rowCounts(db: Db) {
  const [[e], [p], [r]] = await Promise.all([
    db.select({ n: count() }).from(experiments),
    db.select({ n: count() }).from(pools),
    db.select({ n: count() }).from(runs),
  ]);
  return { experiments: e!.n, pools: p!.n, runs: r!.n };
}

describe('bad input', () => {
  pgTest(
    'each is refused with a message naming the problem, and stores nothing',
    async ({ db }) => {
      const api = await testApi(db, { limits: { jsonBytes: 64 * 1024 } });
      const { key } = await bootstrapTeam(api, 'Bad');
      const cat = await createCatalog(api, key);
      const valid = {
        name: 'ok',
        config: { poolId: cat.poolId, metadataSetId: cat.metadataSetId, stop: { maxSteps: 5 } },
      };
      const before = await rowCounts(db);

      const cases: {
        label: string;
        send: () => Promise<Response>;
        status: number;
        detail: RegExp;
        path?: string;
      }[] = [
        {
          label: 'invalid config',
          send: () =>
            api.call('POST', '/v1/experiments', {
              key,
              json: { ...valid, config: { ...valid.config, training: { batchSize: -4 } } },
            }),
          status: 400,
          detail: /config\.training\.batchSize/,
          path: 'config.training.batchSize',
        },
        {
          label: 'unknown key in config',
          send: () =>
            api.call('POST', '/v1/experiments', {
              key,
              json: { ...valid, config: { ...valid.config, pool: { sources: [] } } },
            }),
          status: 400,
          detail: /pool/,
        },
        {
          label: 'unknown pool',
          send: () =>
            api.call('POST', '/v1/experiments', {
              key,
              json: { ...valid, config: { ...valid.config, poolId: 'pool_does_not_exist' } },
            }),
          status: 422,
          detail: /pool pool_does_not_exist not found/,
          path: 'config.poolId',
        },
        {
          label: 'malformed JSON',
          send: () =>
            api.call('POST', '/v1/experiments', {
              key,
              body: '{"name": "x", ',
              headers: { 'content-type': 'application/json' },
            }),
          status: 400,
          detail: /malformed JSON/i,
        },
        {
          label: 'oversized body',
          send: () =>
            api.call('POST', '/v1/experiments', {
              key,
              json: { ...valid, description: 'x'.repeat(100 * 1024) },
            }),
          status: 413,
          detail: /larger than this route accepts/,
        },
        {
          label: 'wrong content type',
          send: () =>
            api.call('POST', '/v1/experiments', {
              key,
              body: JSON.stringify(valid),
              headers: { 'content-type': 'text/plain' },
            }),
          status: 415,
          detail: /text\/plain/,
        },
        {
          label: 'body without a content type',
          send: () =>
            api.call('POST', '/v1/pools', {
              key,
              body: new TextEncoder().encode(JSON.stringify({ name: 'p', shards: ['x'] })),
            }),
          status: 415,
          detail: /no Content-Type/,
        },
        {
          label: 'missing body',
          send: () => api.call('POST', '/v1/runs', { key }),
          status: 400,
          detail: /experimentId/,
        },
        {
          label: 'a run of an unknown experiment',
          send: () => api.call('POST', '/v1/runs', { key, json: { experimentId: 'exp_nope' } }),
          status: 422,
          detail: /experiment exp_nope not found/,
          path: 'experimentId',
        },
        {
          label: 'a run with a bad budget',
          send: () =>
            api.call('POST', '/v1/runs', {
              key,
              json: { experimentId: cat.experimentId, budget: { maxCost: -1 } },
            }),
          status: 400,
          detail: /budget\.maxCost/,
          path: 'budget.maxCost',
        },
      ];
      for (const c of cases) {
        const res = await c.send();
        const body = await problemOf(res);
        expect(res.status, `${c.label}: ${JSON.stringify(body)}`).toBe(c.status);
        expect(res.headers.get('content-type'), c.label).toContain('application/problem+json');
        expect(body, c.label).toMatchObject({
          status: c.status,
          type: expect.stringContaining('curio.dev/problems/'),
        });
        expect(body.detail, c.label).toMatch(c.detail);
        if (c.path)
          expect(
            body.errors.map((e: { path: string }) => e.path),
            c.label,
          ).toContain(c.path);
      }
      expect(await rowCounts(db)).toEqual(before);
    },
  );
});
