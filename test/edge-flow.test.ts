// The edge entry in workerd (miniflare) against the local PostgreSQL server and an S3-compatible
// server (s3rver) on loopback, with the Node API as the dispatcher (CURIO_BACKGROUND=dispatch,
// local workers standing in for Modal sandboxes), as the cloud deployment runs them: a run created
// through the edge-hosted API is dispatched from the shared database to a real worker
// (`curio-train worker`, tiny synthetic data) that reads its shards from and writes its
// checkpoints to the bucket through presigned URLs; its evaluation lands in PostgreSQL; the
// dispatcher and the worker are killed (a lost machine), the cron tick (`scheduled()`, two calls
// at once) reaps the run once, and a new dispatcher resumes it from its checkpoint. PostgreSQL
// only: skipped when DATABASE_URL is unset (workerd reaches a server, never an in-process PGlite).
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import { and, createDb, eq } from '@curio/db';
import { evaluations, runEvents } from '@curio/db/schema';
import { pgTest, testBackend } from '@curio/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { CURIO_TRAIN, mustRun } from './support/commands.js';
import { freePort, startEdgeApi, type EdgeApi } from './support/edge.js';
import { edgeClient, waitFor } from './support/edge-client.js';
import { startNodeDispatcher } from './support/node-dispatcher.js';

const ADMIN_TOKEN = 'edge-admin-token-0123456789abcdefghijkl';
let dataDir: string;
let s3: TestS3Server;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'curio-edge-synth-'));
  await mustRun(CURIO_TRAIN, [
    'synth',
    ...['--out', dataDir, '--pool-size', '300', '--on-target', '0.3', '--eval-per-class', '3'],
  ]);
  s3 = await startTestS3Server(['curio-blobs', 'team-data']);
  const bucket = new S3BlobStore(s3.storeOptions('team-data'));
  for (const name of await readdir(join(dataDir, 'pool'))) {
    const bytes = await readFile(join(dataDir, 'pool', name));
    await bucket.put(`synthetic/${name}`, new Response(bytes).body, bytes.length);
  }
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await s3?.close();
});

describe('the API at the edge', () => {
  pgTest.skipIf(testBackend() !== 'postgres')(
    'a run trains through the edge API on S3, loses its worker, is reaped by the cron tick and resumes (PostgreSQL only: skipped when DATABASE_URL is unset)',
    async ({ testDb }) => {
      const databaseUrl = testDb.options.databaseUrl!;
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      const store = s3.storeOptions('curio-blobs', 'edge');
      const edge: EdgeApi = await startEdgeApi(
        {
          DATABASE_URL: databaseUrl,
          CURIO_PUBLIC_URL: publicUrl,
          CURIO_ADMIN_TOKEN: ADMIN_TOKEN,
          CURIO_S3_BUCKET: 'curio-blobs',
          CURIO_S3_PREFIX: 'edge',
          CURIO_S3_ENDPOINT: s3.endpoint,
          CURIO_S3_FORCE_PATH_STYLE: 'true',
          CURIO_S3_ACCESS_KEY_ID: store.credentials!.accessKeyId,
          CURIO_S3_SECRET_ACCESS_KEY: store.credentials!.secretAccessKey,
          CURIO_HEARTBEAT_SECONDS: '1',
          CURIO_STALE_AFTER_SECONDS: '6',
        },
        port,
      );
      cleanups.push(() => edge.close());
      const api = edgeClient(edge.url);

      const boot = await api.json('POST', '/v1/bootstrap', 201, {
        json: { teamName: 'Edge', email: 'edge@example.com' },
      });
      const key: string = boot.key.secret;
      const teamId: string = boot.team.id;
      await api.json('POST', `/v1/admin/teams/${teamId}/grants`, 201, {
        key: ADMIN_TOKEN,
        json: { kind: 'object-prefix', location: 's3://team-data/synthetic/' },
      });
      // Counted inside workerd, through presigned GETs to the bucket.
      const pool = await api.json('POST', '/v1/pools', 201, {
        key,
        json: { name: 'objects', shards: ['s3://team-data/synthetic/'] },
      });
      expect(pool.shardCount).toBeGreaterThan(0);
      // A local path means nothing at the edge: the answer of a missing location.
      const local = await api.call('POST', '/v1/pools', {
        key,
        json: { name: 'local', shards: [join(dataDir, 'pool')] },
      });
      expect(local.status).toBe(422);

      // The dispatcher: the Node API on the same database, starting local workers that reach
      // the edge. Eval sets are clip_benchmark folders on a disk: it registers this one (one
      // app, two runtimes); the worker reads it from its own disk.
      const dispatcherEnv = {
        DATABASE_URL: databaseUrl,
        CURIO_PUBLIC_URL: publicUrl,
        CURIO_ADMIN_TOKEN: ADMIN_TOKEN,
        CURIO_DATA_DIR: join(dataDir, 'node-store'),
        CURIO_DISPATCHER: 'local',
        CURIO_API_RETRY_SECONDS: '120',
      };
      const dispatcher = await startNodeDispatcher(dispatcherEnv);
      cleanups.push(async () => dispatcher.kill());
      const node = edgeClient(dispatcher.url);
      await node.json('POST', `/v1/admin/teams/${teamId}/grants`, 201, {
        key: ADMIN_TOKEN,
        json: { kind: 'directory', location: dataDir },
      });
      const evalSet = await node.json('POST', '/v1/eval-sets', 201, {
        key,
        json: { name: 'shapes', location: join(dataDir, 'eval') },
      });
      const nodeDb = await createDb({ databaseUrl });
      cleanups.push(() => nodeDb.close());

      const names = (await readFile(join(dataDir, 'metadata.txt'), 'utf8')).split('\n');
      const synonyms = JSON.parse(await readFile(join(dataDir, 'synonyms.json'), 'utf8'));
      const meta = await api.json('POST', '/v1/metadata-sets', 201, {
        key,
        json: { name: 'shapes', names: names.filter(Boolean), synonyms },
      });
      const experiment = await api.json('POST', '/v1/experiments', 201, {
        key,
        json: {
          name: 'edge-cit',
          config: {
            poolId: pool.id,
            metadataSetId: meta.id,
            evalSetIds: [evalSet.id],
            model: { preset: 'tiny' },
            tokenizer: { trainCaptions: 300 },
            training: { batchSize: 16, warmupSteps: 2 },
            curation: { mode: 'cit', interval: 10 },
            eval: { everySteps: 10 },
            checkpoint: { everySteps: 10 },
            stop: { maxSteps: 20 },
          },
        },
      });
      const run = await api.json('POST', '/v1/runs', 201, {
        key,
        json: { experimentId: experiment.id, maxAttempts: 2 },
      });
      const t0 = Date.now();
      const mark = (m: string) =>
        console.log(`[edge-flow] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);
      const show = () => api.json('GET', `/v1/runs/${run.id}`, 200, { key });

      const workerPid = await dispatcher.nextWorkerPid(60_000);
      cleanups.push(async () => process.kill(-workerPid, 'SIGKILL'));
      mark('worker 1 started by the Node dispatcher');
      const trained = await waitFor(
        'a checkpoint',
        async () => {
          const shown = await show();
          return shown.checkpoints.length >= 1 ? shown : undefined;
        },
        300_000,
      ); // a loaded 2-core machine starts tfjs slowly
      dispatcher.kill();
      process.kill(-workerPid, 'SIGKILL');
      mark('dispatcher and worker 1 killed');
      const checkpoint = trained.checkpoints[0];
      const files = (await new S3BlobStore(store).list(`${run.id}/`)).map((b) => b.key);
      expect(files.some((k) => k.endsWith('/weights.bin'))).toBe(true);

      // The cron tick reaps the silent worker: the run is queued to resume from its checkpoint.
      const requeued = await waitFor(
        'the cron tick to reap the killed worker',
        async () => {
          await Promise.all([edge.scheduled(), edge.scheduled()]); // two cron calls at once
          const shown = await show();
          return shown.status === 'queued' ? shown : undefined;
        },
        60_000,
      );
      mark('reaped');
      expect(requeued.attempt).toBe(1);
      const next = await startNodeDispatcher(dispatcherEnv);
      cleanups.push(async () => next.kill());
      const secondPid = await next.nextWorkerPid(60_000);
      cleanups.push(async () => process.kill(-secondPid, 'SIGKILL'));
      const done = await waitFor(
        'the resumed run to end',
        async () => {
          const shown = await show();
          return ['succeeded', 'failed', 'canceled'].includes(shown.status) ? shown : undefined;
        },
        150_000,
      );
      mark('done');
      expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded', attempt: 2 });
      expect(done.checkpoints.map((c: { step: number }) => c.step)).toContain(checkpoint.step);
      expect(done.checkpoints.at(-1).step).toBe(20);
      const stored = await nodeDb.select().from(evaluations).where(eq(evaluations.runId, run.id));
      expect(stored.length).toBeGreaterThanOrEqual(1);
      // The two ticks at once reaped the lost worker once: one failure, one retry.
      const failures = await nodeDb
        .select()
        .from(runEvents)
        .where(and(eq(runEvents.runId, run.id), eq(runEvents.toStatus, 'failed')));
      expect(failures).toHaveLength(1);
    },
    720_000,
  );
});
