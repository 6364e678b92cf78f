// Runs through the API with no workers (capacity 0: they stay queued): the resolved spec with the
// budget and target folded in, idempotent creation, filtered and paginated lists, the event log,
// cancellation, and the live stream.
import { count } from '@curio/db';
import { runs } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { bootstrapTeam, testApi, problemOf } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

describe('runs', () => {
  pgTest(
    'start: the spec is resolved at creation, with budget and target folded into stop',
    async ({ db }) => {
      const api = await testApi(db);
      const { key } = await bootstrapTeam(api, 'Runs');
      const cat = await createCatalog(api, key, { stop: { maxSteps: 10, maxMinutes: 30 } });
      const run = await api.json('POST', '/v1/runs', 201, {
        key,
        json: {
          experimentId: cat.experimentId,
          budget: { maxMinutes: 5, maxCost: 0.5 },
          targetAccuracy: 0.6,
          maxAttempts: 2,
        },
      });
      expect(run).toMatchObject({
        status: 'queued',
        attempt: 0,
        maxAttempts: 2,
        device: 'cpu',
        budget: { maxMinutes: 5, maxCost: 0.5 },
        targetAccuracy: 0.6,
        costEstimate: 0,
      });
      const detail = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
      expect(detail.spec.stop).toMatchObject({
        maxSteps: 10,
        maxMinutes: 5,
        targetAccuracy: { top1: 0.6 },
      });
      expect(detail.spec.pool.sources[0].shards).toHaveLength(1);
      expect(detail.spec.metadata.names).toEqual(['red circle', 'blue square']);
      expect(detail.spec.evalSets[0].path).toMatch(/eval$/);
      expect(detail.targetEvalSet).toBe(detail.spec.evalSets[0].name);
      expect(detail).toMatchObject({ latestMetrics: {}, evaluations: [], checkpoints: [] });

      // Shards appended later do not change a run already created.
      const { writePoolShard } = await import('../support/data.js');
      const more = await writePoolShard(`${cat.dataDir}/pool/000001.tar`, 2);
      await api.json('POST', `/v1/pools/${cat.poolId}/shards`, 201, {
        key,
        json: { shards: [more] },
      });
      const again = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
      expect(again.spec.pool.sources[0].shards).toHaveLength(1);

      const badTarget = await api.call('POST', '/v1/runs', {
        key,
        json: { experimentId: cat.experimentId, targetAccuracy: 0.5, targetEvalSet: 'nope' },
      });
      expect(badTarget.status).toBe(422);
      expect((await problemOf(badTarget)).errors[0]?.path).toBe('targetEvalSet');
      const unknown = await api.call('POST', '/v1/runs', {
        key,
        json: { experimentId: 'exp_missing' },
      });
      expect(unknown.status).toBe(422);
      expect((await problemOf(unknown)).detail).toContain('exp_missing');
    },
  );

  pgTest('Idempotency-Key: the same run, not a second one', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Idem');
    const cat = await createCatalog(api, key);
    const headers = { 'idempotency-key': 'nightly-2026-01-01' };
    const first = await api.json('POST', '/v1/runs', 201, {
      key,
      headers,
      json: { experimentId: cat.experimentId },
    });
    const second = await api.json('POST', '/v1/runs', 200, {
      key,
      headers,
      json: { experimentId: cat.experimentId },
    });
    expect(second.id).toBe(first.id);
    expect(await db.select({ n: count() }).from(runs)).toEqual([{ n: 1 }]);
    const other = await createCatalog(api, key);
    const reused = await api.call('POST', '/v1/runs', {
      key,
      headers,
      json: { experimentId: other.experimentId },
    });
    expect(reused.status).toBe(409);
    // Keys are per team.
    const { key: keyB } = await bootstrapTeam(api, 'Team B');
    const catB = await createCatalog(api, keyB);
    await api.json('POST', '/v1/runs', 201, {
      key: keyB,
      headers,
      json: { experimentId: catB.experimentId },
    });
  });

  pgTest('list: filters and cursor pagination; events; cancel', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Lists');
    const cat = await createCatalog(api, key);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await api.json('POST', '/v1/runs', 201, { key, json: { experimentId: cat.experimentId } }))
          .id,
      );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await api.json(
        'GET',
        `/v1/runs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        200,
        { key },
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const canceled = await api.json('POST', `/v1/runs/${ids[0]}/cancel`, 200, { key });
    expect(canceled).toMatchObject({ status: 'canceled', stopReason: 'canceled' });
    const twice = await api.call('POST', `/v1/runs/${ids[0]}/cancel`, { key });
    expect(twice.status).toBe(409);
    expect((await problemOf(twice)).detail).toMatch(/canceled/);

    const queued = await api.json(
      'GET',
      `/v1/runs?status=queued&experimentId=${cat.experimentId}`,
      200,
      { key },
    );
    expect(queued.items).toHaveLength(4);
    const onlyCanceled = await api.json('GET', '/v1/runs?status=canceled', 200, { key });
    expect(onlyCanceled.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);

    const events = await api.json('GET', `/v1/runs/${ids[0]}/events`, 200, { key });
    expect(events.items.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'queued',
      'canceled',
    ]);
    const page = await api.json('GET', `/v1/runs/${ids[0]}/events?limit=1`, 200, { key });
    const rest = await api.json(
      'GET',
      `/v1/runs/${ids[0]}/events?limit=1&cursor=${page.nextCursor}`,
      200,
      { key },
    );
    expect(rest.items[0].seq).toBe(2);

    const badCursor = await api.call('GET', '/v1/runs?cursor=garbage', { key });
    expect(badCursor.status).toBe(400);
    expect((await problemOf(badCursor)).errors[0]?.path).toBe('cursor');
    const badLimit = await api.call('GET', '/v1/runs?limit=0', { key });
    expect(badLimit.status).toBe(400);
    expect((await problemOf(badLimit)).errors[0]?.path).toBe('limit');
  });

  pgTest('stream: server-sent events until the run is final', async ({ db }) => {
    const api = await testApi(db, { timing: { streamPollMs: 20 } });
    const { key } = await bootstrapTeam(api, 'Stream');
    const cat = await createCatalog(api, key);
    const run = await api.json('POST', '/v1/runs', 201, {
      key,
      json: { experimentId: cat.experimentId },
    });
    const res = await api.call('GET', `/v1/runs/${run.id}/stream`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    setTimeout(() => void api.call('POST', `/v1/runs/${run.id}/cancel`, { key }), 100);
    const text = await res.text();
    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('run');
    expect(names).toContain('event');
    expect(names.at(-1)).toBe('end');
    expect(text).toContain('"status":"canceled"');
  });
});
