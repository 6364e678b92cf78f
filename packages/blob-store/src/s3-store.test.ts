import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobExistsError, BlobTooLargeError } from './blob-store.js';
import { S3BlobStore } from './s3-store.js';
import { startTestS3Server, type TestS3Server } from './test-server.js';

let server: TestS3Server;
let store: S3BlobStore;

beforeAll(async () => {
  server = await startTestS3Server(['curio-test']);
  store = new S3BlobStore(server.storeOptions('curio-test', 'tenant'));
});
afterAll(() => server.close());

const bytes = (...values: number[]) => new Uint8Array(values);
const streamOf = (data: Uint8Array) => new Response(data).body!;
const read = async (stream: ReadableStream<Uint8Array>) =>
  new Uint8Array(await new Response(stream).arrayBuffer());

describe('S3BlobStore', () => {
  it('puts, gets, lists and removes blobs under its prefix', async () => {
    expect(await store.put('run_a/ckpt/weights.bin', streamOf(bytes(1, 2, 3)), 10)).toBe(3);
    await store.put('run_a/ckpt/state.json', streamOf(bytes(7)), 10);
    await store.put('run_a/other.bin', streamOf(bytes(9, 9)), 10);
    const blob = await store.get('run_a/ckpt/weights.bin');
    expect(blob?.size).toBe(3);
    expect(await read(blob!.stream)).toEqual(bytes(1, 2, 3));
    expect((await store.list('run_a/ckpt/')).map((b) => [b.key, b.size])).toEqual([
      ['run_a/ckpt/state.json', 1],
      ['run_a/ckpt/weights.bin', 3],
    ]);
    expect(store.uri('run_a/ckpt')).toBe('s3://curio-test/tenant/run_a/ckpt');
    expect(await store.exists('run_a/ckpt')).toBe(true);
    await store.remove('run_a/ckpt');
    // (not `exists`: s3rver keeps the emptied folder on its disk and fails a HEAD of it)
    expect(await store.list('run_a/ckpt')).toEqual([]);
    expect((await store.list('run_a/')).map((b) => b.key)).toEqual(['run_a/other.bin']);
  });

  it('answers undefined for a missing key and refuses more than the limit', async () => {
    expect(await store.get('run_a/missing.bin')).toBeUndefined();
    expect(await store.exists('run_a/missing.bin')).toBe(false);
    await expect(store.put('run_a/big.bin', streamOf(new Uint8Array(64)), 63)).rejects.toThrow(
      BlobTooLargeError,
    );
    expect(await store.get('run_a/big.bin')).toBeUndefined();
  });

  it('streams a body of unknown length larger than one part', async () => {
    const size = 6 * 1024 * 1024 + 17;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = i % 251;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        const chunk = data.subarray(sent, sent + (1 << 20));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    expect(await store.put('run_b/large.bin', body, size)).toBe(size);
    const got = await read((await store.get('run_b/large.bin'))!.stream);
    // Buffer.equals, not toEqual: vitest compares 6 MB element by element very slowly.
    expect(Buffer.from(got).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses an exclusive put over an existing blob and keeps the old bytes', async () => {
    await store.put('uploads/team_x/a.tar', streamOf(bytes(1)), 10, { exclusive: true });
    await expect(
      store.put('uploads/team_x/a.tar', streamOf(bytes(2)), 10, { exclusive: true }),
    ).rejects.toThrow(BlobExistsError);
    expect(await read((await store.get('uploads/team_x/a.tar'))!.stream)).toEqual(bytes(1));
  });

  it('presigns a PUT and a GET that plain fetch can use, each for its own key only', async () => {
    const put = await store.presignPut('run_c/up.bin', { expiresInSeconds: 60, bytes: 4 });
    const res = await fetch(put.url, {
      method: 'PUT',
      headers: put.headers,
      body: bytes(4, 3, 2, 1),
    });
    expect(res.status).toBe(200);
    const get = await store.presignGet('run_c/up.bin', 60);
    const got = await fetch(get.url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes(4, 3, 2, 1));

    // The signature covers the key: the same query on another key is refused.
    const other = get.url.replace('run_c/up.bin', 'run_a/other.bin');
    expect((await fetch(other)).status).toBe(403);
    const elsewhere = put.url.replace('run_c/up.bin', 'run_c/evil.bin');
    const refused = await fetch(elsewhere, { method: 'PUT', body: bytes(0, 0, 0, 0) });
    expect(refused.status).toBe(403);
    expect(await store.get('run_c/evil.bin')).toBeUndefined();
  });

  it('presigns a PUT of an exact size: another size is refused', async () => {
    const put = await store.presignPut('run_c/sized.bin', { expiresInSeconds: 60, bytes: 4 });
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes(1, 2) });
    expect(res.status).toBe(403);
    expect(await store.get('run_c/sized.bin')).toBeUndefined();
  });
});
