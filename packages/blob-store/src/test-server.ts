// A real S3-compatible server on loopback for tests: s3rver (the maintained fork
// `@20minutes/s3rver`), keeping its objects in a temporary folder, on a free port, with the
// buckets made at start. Its credentials are the fixed pair S3RVER / S3RVER. It cannot continue
// a listing past one page (its continuation token uses a cipher OpenSSL 3 lacks): keep tests
// under 1000 keys a prefix.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3StoreOptions } from './s3-store.js';

interface KoaContext {
  path: string;
  mountPath?: string;
  state: { vhost?: boolean };
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  middleware: KoaMiddleware[];
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface TestS3Server {
  endpoint: string;
  /** Options for an `S3BlobStore` on `bucket` (path-style, the server's credentials). */
  storeOptions(bucket: string, prefix?: string): S3StoreOptions;
  close(): Promise<void>;
}

const TEST_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startTestS3Server(buckets: string[]): Promise<TestS3Server> {
  const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass;
  const directory = await mkdtemp(join(tmpdir(), 'curio-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  // The AWS SDK v3 sends and signs bucket requests (ListObjectsV2, DeleteObjects) path-style as
  // `/<bucket>/`, where s3rver signs `/<bucket>`: give its signature check the trailing slash,
  // through the virtual-host branch of that check, just before its router.
  server.middleware.splice(server.middleware.length - 1, 0, async (ctx, next) => {
    if (/^\/[^/]+\/$/.test(ctx.path)) {
      ctx.state.vhost = true;
      ctx.mountPath = '/';
    }
    await next();
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    storeOptions: (bucket, prefix) => ({
      bucket,
      prefix: prefix ?? '',
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: TEST_S3_CREDENTIALS,
    }),
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
