// Outbound fetches against a real loopback server: refused unless allowlisted or granted, every
// redirect hop checked again, hop limit, size cap, timeouts, nothing credential-like sent — on
// Node (undici, pinned lookups) and the edge's version (the platform's fetch, run here on Node's),
// which cannot refuse a private address reached by name (no lookup of its own; see README).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, PUBLIC_ONLY, type DataAccess } from './data-access.js';
import { LocationUnavailableError } from './location-error.js';
import { fetchShardBody as edgeFetch } from './outbound-fetch-edge.js';
import { fetchShardBody as nodeFetch } from './outbound-fetch.js';

async function readBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString();
}

describe.each([
  { runtime: 'node', fetchShardBody: nodeFetch, checksNames: true },
  { runtime: 'edge', fetchShardBody: edgeFetch, checksNames: false },
])('fetchShardBody ($runtime)', ({ fetchShardBody, checksNames }) => {
  let server: Server;
  let port: number;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      const url = req.url ?? '/';
      if (url === '/data/ok.tar') return res.end('shard bytes');
      if (url === '/data/big.tar') return res.end('x'.repeat(5000));
      if (url === '/data/to-private')
        return res.writeHead(302, { location: '/private/x.tar' }).end();
      if (url === '/data/to-literal')
        return res.writeHead(302, { location: `http://127.0.0.1:${port}/data/ok.tar` }).end();
      if (url === '/data/loop') return res.writeHead(302, { location: '/data/loop' }).end();
      if (url === '/data/slow') return setTimeout(() => res.end('late'), 2000);
      if (url === '/private/x.tar') return res.end('private bytes');
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const access = (over: Partial<DataAccess> & { allowHosts?: string[] } = {}): DataAccess => ({
    ...PUBLIC_ONLY,
    ...over,
    fetch: { ...DEFAULT_FETCH_LIMITS, ...over.fetch, allowHosts: over.allowHosts ?? [] },
  });
  const unavailable = async (location: string, a: DataAccess) => {
    const error = await fetchShardBody(location, a)
      .then(readBody)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(LocationUnavailableError);
    expect((error as Error).message).toBe(
      `data location ${location} does not exist or is not granted to this team`,
    );
    return error as LocationUnavailableError;
  };

  it('refuses loopback by address, by name and IPv4-mapped, unless allowlisted', async () => {
    await unavailable(`http://127.0.0.1:${port}/data/ok.tar`, access());
    if (checksNames) await unavailable(`http://localhost:${port}/data/ok.tar`, access());
    await unavailable(`http://[::ffff:127.0.0.1]:${port}/data/ok.tar`, access());
    await unavailable(`http://[::1]:${port}/data/ok.tar`, access());
    await unavailable(`http://2130706433:${port}/data/ok.tar`, access()); // 127.0.0.1, as a number
    await unavailable(`http://0x7f.1:${port}/data/ok.tar`, access());
    const body = await fetchShardBody(
      `http://127.0.0.1:${port}/data/ok.tar`,
      access({ allowHosts: ['127.0.0.0/8'] }),
    );
    expect(await readBody(body)).toBe('shard bytes');
    const byName = await fetchShardBody(
      `http://localhost:${port}/data/ok.tar`,
      access({ allowHosts: ['localhost'] }),
    );
    expect(await readBody(byName)).toBe('shard bytes');
  });

  it('answers a 404 exactly like a refused address', async () => {
    const missing = await unavailable(
      `http://127.0.0.1:${port}/data/none.tar`,
      access({ allowHosts: ['127.0.0.1'] }),
    );
    const refused = await unavailable(`http://127.0.0.1:${port}/data/ok.tar`, access());
    expect(missing.message.replace('none', 'ok')).toBe(refused.message);
  });

  it('checks every redirect hop: out of a URL grant, to an address literal, past the hop limit', async () => {
    const granted = access({
      grants: [{ kind: 'url-prefix', location: `http://127.0.0.1:${port}/data/` }],
    });
    expect(
      await readBody(await fetchShardBody(`http://127.0.0.1:${port}/data/ok.tar`, granted)),
    ).toBe('shard bytes');
    const out = await unavailable(`http://127.0.0.1:${port}/data/to-private`, granted);
    expect(out.reason).toMatch(/not a public address/);
    const byName = access({ allowHosts: ['localhost'] });
    await unavailable(`http://localhost:${port}/data/to-literal`, byName);
    const loop = await unavailable(`http://127.0.0.1:${port}/data/loop`, granted);
    expect(loop.reason).toMatch(/redirect 6 of at most 5/);
  });

  it('refuses user names and passwords in URLs and sends no credentials', async () => {
    await unavailable(
      `http://user:secret@127.0.0.1:${port}/data/ok.tar`,
      access({ allowHosts: ['127.0.0.1'] }),
    );
    seen.length = 0;
    await readBody(
      await fetchShardBody(
        `http://127.0.0.1:${port}/data/ok.tar`,
        access({ allowHosts: ['127.0.0.1'] }),
      ),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[0]!.cookie).toBeUndefined();
  });

  it('stops at the size cap and at the total timeout', async () => {
    const small = access({
      allowHosts: ['127.0.0.1'],
      fetch: { ...DEFAULT_FETCH_LIMITS, maxBytes: 1000 },
    });
    const big = await unavailable(`http://127.0.0.1:${port}/data/big.tar`, small);
    expect(big.reason).toMatch(/over the 1000-byte cap/);
    const quick = access({
      allowHosts: ['127.0.0.1'],
      fetch: { ...DEFAULT_FETCH_LIMITS, totalTimeoutMs: 200 },
    });
    const started = Date.now();
    await unavailable(`http://127.0.0.1:${port}/data/slow`, quick);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
