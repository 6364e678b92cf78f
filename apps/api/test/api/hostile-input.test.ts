// Hostile input, case by case: each answer is the 4xx the README promises, its problem+json names
// the field, and nothing stored changes. (The fuzz test throws thousands of these at every route;
// here each rule is pinned down on its own.)
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { bootstrapTeam, problemOf, testApi, type CallOptions } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { snapshotStore } from '../support/fuzz/snapshot.js';

interface Case {
  label: string;
  method: string;
  url: string;
  options: CallOptions;
  status: number;
  field: string | RegExp;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

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
      const w = (path: string) => `/v1/worker/runs/${run.id}${path}`;
      await api.json('PUT', w('/blobs/ckpt/weights.bin'), 204, {
        key: token,
        body: new Uint8Array([1]),
      });
      const config = {
        poolId: cat.poolId,
        metadataSetId: cat.metadataSetId,
        stop: { maxSteps: 5 },
      };
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      const team = (json: unknown): CallOptions => ({ key, json });
      const worker = (json: unknown): CallOptions => ({ key: token, json });
      const raw = (body: string, type = 'application/json'): CallOptions => ({
        key,
        body,
        headers: { 'content-type': type },
      });
      const cases: Case[] = [
        {
          label: 'NUL in a path id',
          method: 'GET',
          url: '/v1/pools/pool%00x',
          options: { key },
          status: 400,
          field: /path segment 3/,
        },
        {
          label: 'NUL in a DELETE id',
          method: 'DELETE',
          url: '/v1/keys/%00',
          options: { key },
          status: 400,
          field: /path segment 3/,
        },
        {
          label: 'a lone surrogate in a path id',
          method: 'GET',
          url: '/v1/runs/%ED%A0%80',
          options: { key },
          status: 400,
          field: /path segment 3/,
        },
        {
          label: 'NUL in a query value',
          method: 'GET',
          url: '/v1/runs?experimentId=a%00b',
          options: { key },
          status: 400,
          field: 'experimentId',
        },
        {
          label: 'NUL in a JSON string',
          method: 'POST',
          url: '/v1/pools',
          options: team({ name: 'a\0b', shards: ['x'] }),
          status: 400,
          field: 'name',
        },
        {
          label: 'a lone surrogate in a JSON string',
          method: 'POST',
          url: '/v1/metadata-sets',
          options: team({ name: 'm', names: ['ok', 'x\ud800'] }),
          status: 400,
          field: 'names.1',
        },
        {
          label: 'NUL in a JSON key',
          method: 'POST',
          url: '/v1/keys',
          options: team({ name: 'k', ['r\0']: 1 }),
          status: 400,
          field: 'r\\x00',
        },
        {
          label: 'a version past int4',
          method: 'GET',
          url: `/v1/metadata-sets/${cat.metadataSetId}/versions/99999999999`,
          options: { key },
          status: 400,
          field: 'version',
        },
        {
          label: 'a cursor past int4',
          method: 'GET',
          url: `/v1/runs/${run.id}/events?cursor=${b64('c1:99999999999')}`,
          options: { key },
          status: 400,
          field: 'cursor',
        },
        {
          label: 'a cursor holding NUL',
          method: 'GET',
          url: `/v1/pools?cursor=${b64('c1:\0')}`,
          options: { key },
          status: 400,
          field: 'cursor',
        },
        {
          label: 'a metadata version past int4',
          method: 'POST',
          url: '/v1/experiments',
          options: team({ name: 'e', config: { ...config, metadataVersion: 2 ** 31 } }),
          status: 400,
          field: 'config.metadataVersion',
        },
        {
          label: 'stop.maxSteps 2^31',
          method: 'POST',
          url: '/v1/experiments',
          options: team({ name: 'e', config: { ...config, stop: { maxSteps: 2 ** 31 } } }),
          status: 400,
          field: 'config.stop.maxSteps',
        },
        {
          label: 'a batch of a million',
          method: 'POST',
          url: '/v1/experiments',
          options: team({ name: 'e', config: { ...config, training: { batchSize: 1e6 } } }),
          status: 400,
          field: 'config.training.batchSize',
        },
        {
          label: 'an eval interval past the bound',
          method: 'POST',
          url: '/v1/experiments',
          options: team({ name: 'e', config: { ...config, eval: { everySteps: 1e9 } } }),
          status: 400,
          field: 'config.eval.everySteps',
        },
        {
          label: 'a device that is a path',
          method: 'POST',
          url: '/v1/runs',
          options: team({ experimentId: cat.experimentId, device: '../../../../etc/passwd' }),
          status: 400,
          field: 'device',
        },
        {
          label: 'a device the price table lacks',
          method: 'POST',
          url: '/v1/runs',
          options: team({ experimentId: cat.experimentId, device: 'quantum' }),
          status: 422,
          field: 'device',
        },
        {
          label: 'a schedule on an unpriced device',
          method: 'POST',
          url: '/v1/schedules',
          options: team({
            experimentId: cat.experimentId,
            everyMinutes: 5,
            run: { device: 'default' },
          }),
          status: 422,
          field: 'run.device',
        },
        {
          label: 'an oversized array',
          method: 'POST',
          url: '/v1/pools',
          options: team({ name: 'p', shards: Array(10_001).fill('x') }),
          status: 400,
          field: 'shards',
        },
        {
          label: 'cancel with a body that is not JSON',
          method: 'POST',
          url: `/v1/runs/${run.id}/cancel`,
          options: raw('{"reason":'),
          status: 400,
          field: /malformed JSON/,
        },
        {
          label: 'cancel with a text body',
          method: 'POST',
          url: `/v1/runs/${run.id}/cancel`,
          options: raw('now', 'text/plain'),
          status: 415,
          field: /text\/plain/,
        },
        {
          label: 'a DELETE with a text body',
          method: 'DELETE',
          url: `/v1/keys/${keyId}`,
          options: raw('{}', 'text/plain'),
          status: 415,
          field: /text\/plain/,
        },
        {
          label: 'cancel with unknown fields',
          method: 'POST',
          url: `/v1/runs/${run.id}/cancel`,
          options: team({ force: true }),
          status: 400,
          field: '(root)',
        },
        {
          label: 'a worker step past int4',
          method: 'POST',
          url: w('/heartbeat'),
          options: worker({ attempt: 1, step: 2147483648, deviceSeconds: 1 }),
          status: 400,
          field: 'step',
        },
        {
          label: 'a metric step past int4',
          method: 'POST',
          url: w('/metrics'),
          options: worker({ points: [{ step: 2 ** 31, name: 'loss', value: 1 }] }),
          status: 400,
          field: 'points.0.step',
        },
        {
          label: 'worker event data 5,000 deep',
          method: 'POST',
          url: w('/events'),
          options: {
            key: token,
            body: `{"events":[{"type":"log","message":"m","data":{"d":${deep}}}]}`,
            headers: { 'content-type': 'application/json' },
          },
          status: 400,
          field: /^events\.0\.data\.d(\.0)+$/,
        },
        {
          label: 'NUL in a worker message',
          method: 'POST',
          url: w('/events'),
          options: worker({ events: [{ type: 'log', message: 'a\0' }] }),
          status: 400,
          field: 'events.0.message',
        },
        {
          label: 'a device the worker names as a path',
          method: 'POST',
          url: w('/started'),
          options: worker({ attempt: 1, backend: 'wasm', device: '../x' }),
          status: 400,
          field: 'device',
        },
        {
          label: 'a blob key under a blob',
          method: 'PUT',
          url: w('/blobs/ckpt/weights.bin/more'),
          options: { key: token, body: new Uint8Array([2]) },
          status: 409,
          field: 'key',
        },
        {
          label: 'a blob key that is a folder',
          method: 'PUT',
          url: w('/blobs/ckpt'),
          options: { key: token, body: new Uint8Array([2]) },
          status: 409,
          field: 'key',
        },
      ];
      const before = await snapshotStore(db, api.ctx.blobRoot);
      for (const c of cases) {
        const res = await api.call(c.method, c.url, c.options);
        const problem = await problemOf(res);
        expect(res.status, `${c.label}: ${JSON.stringify(problem)}`).toBe(c.status);
        expect(res.headers.get('content-type'), c.label).toContain('application/problem+json');
        const paths = (problem.errors ?? []).map((e) => e.path);
        if (typeof c.field === 'string') expect(paths, c.label).toContain(c.field);
        else
          expect(
            paths.some((p) => c.field instanceof RegExp && c.field.test(p)) ||
              c.field.test(problem.detail),
            c.label,
          ).toBe(true);
      }
      expect(await snapshotStore(db, api.ctx.blobRoot)).toEqual(before);
      const canceled = await api.json('POST', `/v1/runs/${run.id}/cancel`, 200, { key, json: {} });
      expect(canceled.status).toBe('canceled');
    },
  );
});
