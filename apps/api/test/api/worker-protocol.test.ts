// The worker protocol over HTTP, with the test acting as the worker: assignment, started,
// heartbeats with device time priced by the device, metrics, events, blobs, checkpoints and
// evaluations with the time and cost reached, finished; cancellation and a spent budget.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, sql } from '@curio/db';
import { apiKeys } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { problemOf, testApi } from '../support/api.js';
import { TEST_PRICES as prices, runWithAttempt as setup } from '../support/worker.js';

const evalMetrics = { zeroShot: { top1: 0.5, top5: 1, n: 2 } };

describe('worker protocol', () => {
  pgTest('a whole attempt: assignment to finished, with usage and cost', async ({ db }) => {
    const api = await testApi(db, {
      prices,
      timing: { heartbeatSeconds: 3, tokenGraceMs: 60_000 },
    });
    const { key, run, token, w, attempt } = await setup(api, { budget: { maxMinutes: 2 } });
    expect(attempt).toMatchObject({ attempt: 1, device: 'cpu', apiUrl: 'http://127.0.0.1:1' });

    const assignment = await api.json('GET', w('/assignment'), 200, { key: token });
    expect(assignment).toMatchObject({ runId: run.id, attempt: 1, heartbeatSeconds: 3 });
    expect(assignment.resumeFrom).toBeUndefined();
    expect(assignment.spec.stop).toMatchObject({ maxSteps: 10, maxMinutes: 2 });
    expect(assignment.spec.pool.sources[0].shards[0]).toMatch(/000000\.tar$/);

    await api.json('POST', w('/started'), 204, {
      key: token,
      json: { attempt: 1, backend: 'wasm-native', device: 'nvidia-h100' },
    });
    await api.json('POST', w('/started'), 204, {
      key: token,
      json: { attempt: 1, backend: 'wasm-native', device: 'nvidia-h100' },
    });
    let shown = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
    expect(shown).toMatchObject({
      status: 'running',
      device: 'nvidia-h100',
      backend: 'local/wasm-native',
    });

    expect(
      await api.json('POST', w('/heartbeat'), 200, {
        key: token,
        json: { attempt: 1, step: 3, deviceSeconds: 10 },
      }),
    ).toEqual({ stop: false });
    shown = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
    expect(shown.deviceSeconds).toBe(10);
    expect(shown.costEstimate).toBeCloseTo(0.1, 10);

    await api.json('POST', w('/metrics'), 204, {
      key: token,
      json: {
        points: [
          { step: 1, name: 'loss', value: 2 },
          { step: 2, name: 'loss', value: 1.5 },
          { step: 2, name: 'lr', value: 1e-3 },
          { step: 1, name: 'source_weight:web crawl', value: 0.25 },
        ],
      },
    });
    const refused = await api.call('POST', w('/metrics'), {
      key: token,
      json: { points: [{ step: 3, name: 'source_weight:', value: 1 }] },
    });
    expect(refused.status).toBe(400);
    await api.json('POST', w('/metrics'), 204, {
      key: token,
      json: { points: [{ step: 2, name: 'loss', value: 1.4 }] },
    }); // a resend: upserted
    await api.json('POST', w('/events'), 204, {
      key: token,
      json: {
        events: [
          { type: 'log', message: 'pool: 5 pairs' },
          { type: 'curation', message: 'kept 3 of 5', data: { ratio: 0.6 } },
          {
            type: 'curation',
            message: 'curation round 1 @ step 0: kept 3/5 (60.0%)',
            data: {
              ...{ step: 0, round: 1, scanned: 5, kept: 3, ratio: 0.6, lexicalHits: 3 },
              ...{ warm: false, gammaFired: false, keptOnTarget: 1 },
            },
          },
        ],
      },
    });

    const early = await api.call('POST', w('/checkpoints'), {
      key: token,
      json: {
        step: 5,
        key: 'checkpoints/00000005',
        sizeBytes: 3,
        architecture: { preset: 'tiny' },
      },
    });
    expect(early.status).toBe(422);
    await api.json('PUT', w('/blobs/checkpoints/00000005/weights.bin'), 204, {
      key: token,
      body: new Uint8Array([1, 2, 3]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    await api.json('PUT', w('/blobs/checkpoints/00000010/weights.bin'), 204, {
      key: token,
      body: new Uint8Array([4, 5]),
    });
    const blob = await api.call('GET', w('/blobs/checkpoints/00000005/weights.bin'), {
      key: token,
    });
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(await api.json('GET', w('/blobs?prefix=checkpoints/'), 200, { key: token })).toEqual({
      keys: ['checkpoints/00000005/weights.bin', 'checkpoints/00000010/weights.bin'],
    });
    expect((await api.call('GET', w('/blobs/checkpoints/missing'), { key: token })).status).toBe(
      404,
    );
    for (const bad of [
      '..%2F..%2Fescape',
      '%2E%2E/x',
      'a/../../b',
      '.hidden/x',
      'a%2F..%2F..%2F..%2Fb',
    ]) {
      const res = await api.call('PUT', w(`/blobs/${bad}`), {
        key: token,
        body: new Uint8Array([0]),
      });
      // 404 or 415: the URL itself resolved the .. away, to a route that is not a blob upload
      // (415: bytes sent where JSON is taken)
      expect([400, 404, 415], bad).toContain(res.status);
    }
    expect(await readdir(api.ctx.blobRoot)).toEqual([run.id]);
    expect(await readdir(join(api.ctx.blobRoot, run.id))).toEqual(['checkpoints']);

    const c1 = await api.json('POST', w('/checkpoints'), 200, {
      key: token,
      json: {
        step: 5,
        key: 'checkpoints/00000005',
        sizeBytes: 3,
        architecture: { preset: 'tiny' },
      },
    });
    const again = await api.json('POST', w('/checkpoints'), 200, {
      key: token,
      json: {
        step: 5,
        key: 'checkpoints/00000005',
        sizeBytes: 3,
        architecture: { preset: 'tiny' },
      },
    });
    expect(again.id).toBe(c1.id);
    const c2 = await api.json('POST', w('/checkpoints'), 200, {
      key: token,
      json: {
        step: 10,
        key: 'checkpoints/00000010',
        sizeBytes: 2,
        architecture: { preset: 'tiny', forwardGflops: { image: 0.065, text: 0.037 } },
      },
    });

    const evalSetName = assignment.spec.evalSets[0].name;
    await api.json('POST', w('/evaluations'), 200, {
      key: token,
      json: {
        step: 10,
        evalSet: evalSetName,
        checkpointKey: 'checkpoints/00000010',
        metrics: evalMetrics,
        elapsedSeconds: 12.5,
      },
    });
    await api.json('POST', w('/finished'), 204, {
      key: token,
      json: { status: 'succeeded', stopReason: 'max_steps', steps: 10, deviceSeconds: 20 },
    });
    await api.json('POST', w('/finished'), 204, {
      key: token,
      json: { status: 'succeeded', stopReason: 'max_steps', steps: 10, deviceSeconds: 20 },
    });

    const done = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
    expect(done).toMatchObject({ status: 'succeeded', stopReason: 'max_steps', deviceSeconds: 20 });
    expect(done.costEstimate).toBeCloseTo(0.2, 10);
    expect(done.latestMetrics).toEqual({
      loss: { step: 2, value: 1.4 },
      lr: { step: 2, value: 1e-3 },
      'source_weight:web crawl': { step: 1, value: 0.25 },
    });
    expect(
      done.checkpoints.map((c: { id: string; parentCheckpointId: string | null }) => [
        c.id,
        c.parentCheckpointId,
      ]),
    ).toEqual([
      [c1.id, null],
      [c2.id, c1.id],
    ]);
    // Forward GFLOPs per tower, as the trainer recorded them with the checkpoint (none in c1's).
    expect(done.checkpoints.map((c: { forwardGflops: unknown }) => c.forwardGflops)).toEqual([
      null,
      { image: 0.065, text: 0.037 },
    ]);
    expect(done.forwardGflops).toEqual({ image: 0.065, text: 0.037 });
    // Where it is stored on the server stays on the server.
    expect(done.checkpoints[1].downloadPath).toBe(
      `/v1/runs/${run.id}/checkpoints/${c2.id}/download`,
    );
    expect(JSON.stringify(done)).not.toContain(api.ctx.blobRoot);
    expect(done.evaluations).toHaveLength(1);
    expect(done.evaluations[0]).toMatchObject({
      step: 10,
      evalSet: evalSetName,
      checkpointId: c2.id,
      metrics: evalMetrics,
      elapsedSeconds: 12.5,
      deviceSeconds: 10,
    });
    expect(done.evaluations[0].cost).toBeCloseTo(0.1, 10);
    const events = await api.json('GET', `/v1/runs/${run.id}/events?limit=100`, 200, { key });
    const types = events.items.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'status',
      'status',
      'status',
      'log',
      'log',
      'curation',
      'checkpoint',
      'checkpoint',
      'evaluation',
      'status',
    ]);
    // A curation event that is not a round's stats is kept as a log saying its kind.
    expect(events.items[4].data).toMatchObject({ kind: 'curation', ratio: 0.6 });
    expect(events.items[5].data).toMatchObject({ round: 1, kept: 3, keptOnTarget: 1 });

    // Its tokens are revoked once the grace for the last words is over.
    const [token1] = await db.select().from(apiKeys).where(eq(apiKeys.runId, run.id));
    expect(token1!.revokedAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    await db
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiKeys.runId, run.id));
    expect(
      (
        await api.call('POST', w('/heartbeat'), {
          key: token,
          json: { attempt: 1, step: 10, deviceSeconds: 20 },
        })
      ).status,
    ).toBe(401);
  });

  pgTest('the heartbeat answer carries cancellation and a spent cost budget', async ({ db }) => {
    const api = await testApi(db, { prices });
    const { key, run, token, w } = await setup(api, { budget: { maxCost: 0.05 } });
    await api.json('POST', w('/started'), 204, {
      key: token,
      json: { attempt: 1, backend: 'cpu', device: 'nvidia-h100' },
    });
    expect(
      await api.json('POST', w('/heartbeat'), 200, {
        key: token,
        json: { attempt: 1, step: 1, deviceSeconds: 2 },
      }),
    ).toEqual({ stop: false });
    expect(
      await api.json('POST', w('/heartbeat'), 200, {
        key: token,
        json: { attempt: 1, step: 9, deviceSeconds: 6 },
      }),
    ).toEqual({ stop: true, reason: 'max_cost' });
    await api.json('POST', w('/finished'), 204, {
      key: token,
      json: { status: 'succeeded', stopReason: 'max_cost', steps: 9, deviceSeconds: 6 },
    });
    expect(await api.json('GET', `/v1/runs/${run.id}`, 200, { key })).toMatchObject({
      status: 'succeeded',
      stopReason: 'max_cost',
    });

    const second = await setup(api);
    await api.json('POST', second.w('/started'), 204, {
      key: second.token,
      json: { attempt: 1, backend: 'cpu', device: 'cpu' },
    });
    await api.json('POST', `/v1/runs/${second.run.id}/cancel`, 200, { key: second.key });
    expect(
      await api.json('POST', second.w('/heartbeat'), 200, {
        key: second.token,
        json: { attempt: 1, step: 1, deviceSeconds: 1 },
      }),
    ).toEqual({ stop: true, reason: 'canceled' });
    const refused = await api.call('POST', second.w('/metrics'), {
      key: second.token,
      json: { points: [{ step: 1, name: 'loss', value: 1 }] },
    });
    expect(refused.status).toBe(409);
    // The problem's type tells the worker its run was canceled (it stops, not just this write).
    expect((await problemOf(refused)).type).toMatch(/\/run-canceled$/);
    await api.json('POST', second.w('/finished'), 204, {
      key: second.token,
      json: { status: 'canceled', steps: 1, deviceSeconds: 1 },
    });
    const lost = await api.call('POST', second.w('/finished'), {
      key: second.token,
      json: { status: 'succeeded', stopReason: 'max_steps', steps: 1, deviceSeconds: 1 },
    });
    expect(lost.status).toBe(409);
  });
});
