// The worker protocol client on an API that keeps blobs in object storage: blob PUTs and GETs
// answered with a 307 to a presigned URL go there, with the same bytes and without the run's
// token, against a real S3-compatible server (s3rver) on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerApiClient } from './api-client.js';

let s3: TestS3Server;
let store: S3BlobStore;
let api: Server;
let apiUrl: string;
const seen: { method: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  s3 = await startTestS3Server(['worker-blobs']);
  store = new S3BlobStore(s3.storeOptions('worker-blobs'));
  // The API's side: every blob call of run-1 is a 307 to a presigned URL of `run-1/<key>`.
  api = createServer((req, res) => {
    seen.push({ method: req.method!, authorization: req.headers.authorization });
    const key = `run-1/${decodeURIComponent(req.url!.replace('/v1/worker/runs/run-1/blobs/', ''))}`;
    const sign =
      req.method === 'PUT'
        ? store.presignPut(key, {
            expiresInSeconds: 60,
            bytes: Number(req.headers['content-length']),
          })
        : store.presignGet(key, 60);
    req.resume();
    void sign.then((s) => res.writeHead(307, { location: s.url }).end());
  });
  await new Promise<void>((ok) => api.listen(0, '127.0.0.1', ok));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => api.close(ok));
  await s3.close();
});

describe('WorkerApiClient on presigned blob URLs', () => {
  it('puts and gets blobs in the bucket, and reads a missing one as none', async () => {
    const client = new WorkerApiClient({
      apiUrl,
      runId: 'run-1',
      token: 'rt_secret',
      retry: { maxWaitMs: 2000, baseDelayMs: 5, maxDelayMs: 50 },
    });
    const bytes = new Uint8Array([9, 8, 7, 6, 5]);
    await client.putBlob('checkpoints/00000010/weights.bin', bytes);
    const stored = await store.get('run-1/checkpoints/00000010/weights.bin');
    expect(new Uint8Array(await new Response(stored!.stream).arrayBuffer())).toEqual(bytes);
    expect(await client.getBlob('checkpoints/00000010/weights.bin')).toEqual(bytes);
    expect(await client.getBlob('checkpoints/00000010/none.bin')).toBeUndefined();
    // The token went to the API only (S3 refuses a request signed twice, so the bytes say so too).
    expect(seen.map((s) => s.authorization)).toEqual(Array(3).fill('Bearer rt_secret'));
  });
});
