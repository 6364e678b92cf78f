// Sessions and keys: a live stream closes once its key is revoked or its role changes (or its
// browser session ends); failed
// authentications are rate-limited per client address (429 with Retry-After, on a clock the test
// moves); error logs carry no SQL parameters and no raw control characters.
import { eq } from '@curio/db';
import { apiKeys } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/log.js';
import { escapeControl } from '../../src/http/text.js';
import { bootstrapTeam, testApi, problemOf, type TestApi } from '../support/api.js';
import { signUp } from '../support/browser.js';
import { createCatalog } from '../support/catalog.js';

async function streamingRun(api: TestApi) {
  const owner = await bootstrapTeam(api, 'Stream');
  const cat = await createCatalog(api, owner.key);
  const run = await api.json('POST', '/v1/runs', 201, {
    key: owner.key,
    json: { experimentId: cat.experimentId },
  });
  const viewer = await api.json('POST', '/v1/keys', 201, {
    key: owner.key,
    json: { name: 'watcher', role: 'member' },
  });
  return { owner, run, viewer };
}

/** Read the stream to its end (or fail after `ms`); the event names and the `closed` reason. */
async function readToEnd(res: Response, ms: number) {
  const timeout = new Promise<never>((_, fail) =>
    setTimeout(() => fail(new Error(`the stream stayed open for ${ms} ms`)), ms),
  );
  const text = await Promise.race([res.text(), timeout]);
  const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
  const closed = /^event: closed\ndata: (.*)$/m.exec(text)?.[1];
  return { names, reason: closed ? (JSON.parse(closed) as { reason: string }).reason : undefined };
}

describe('sessions and keys', () => {
  pgTest('a live stream closes after its key is revoked', async ({ db }) => {
    const api = await testApi(db, { timing: { streamPollMs: 20, keyRecheckMs: 100 } });
    const { owner, run, viewer } = await streamingRun(api);
    const res = await api.call('GET', `/v1/runs/${run.id}/stream`, { key: viewer.secret });
    expect(res.status).toBe(200);
    const revokedAt = Date.now();
    await api.json('DELETE', `/v1/keys/${viewer.id}`, 200, { key: owner.key });
    const { names, reason } = await readToEnd(res, 5_000);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(names[0]).toBe('run');
    expect(names.at(-1)).toBe('closed');
    expect(names).not.toContain('end');
    expect(reason).toBe('the key has been revoked');
    const again = await api.call('GET', `/v1/runs/${run.id}/stream`, { key: viewer.secret });
    expect(again.status).toBe(401);
    expect((await api.json('GET', `/v1/runs/${run.id}`, 200, { key: owner.key })).status).toBe(
      'queued',
    );
  });

  pgTest('a live stream closes when its key changes role', async ({ db }) => {
    const api = await testApi(db, { timing: { streamPollMs: 20, keyRecheckMs: 100 } });
    const { run, viewer } = await streamingRun(api);
    const res = await api.call('GET', `/v1/runs/${run.id}/stream`, { key: viewer.secret });
    expect(res.status).toBe(200);
    await db.update(apiKeys).set({ role: 'viewer' }).where(eq(apiKeys.id, viewer.id));
    const { names, reason } = await readToEnd(res, 5_000);
    expect(names.at(-1)).toBe('closed');
    expect(reason).toBe("the key's role changed from member to viewer");
  });

  pgTest('a live stream of a browser session closes when the session ends', async ({ db }) => {
    const api = await testApi(db, { timing: { streamPollMs: 20, keyRecheckMs: 100 } });
    const { browser } = await signUp(api, 'Watching');
    const created = await browser.call('POST', '/v1/keys', { json: { name: 'setup' } });
    const { secret } = (await created.json()) as { secret: string };
    const cat = await createCatalog(api, secret);
    const run = await api.json('POST', '/v1/runs', 201, {
      key: secret,
      json: { experimentId: cat.experimentId },
    });
    const res = await browser.call('GET', `/v1/runs/${run.id}/stream`);
    expect(res.status).toBe(200);
    expect((await browser.call('POST', '/v1/auth/logout')).status).toBe(204);
    const { names, reason } = await readToEnd(res, 5_000);
    expect(names.at(-1)).toBe('closed');
    expect(reason).toBe('the session has ended');
  });

  pgTest(
    'failed authentications are rate-limited per address, 429 with Retry-After',
    async ({ db }) => {
      let now = Date.parse('2026-01-01T00:00:00Z');
      const api = await testApi(db, {
        now: () => new Date(now),
        limits: { authFailures: 5, authFailureWindowMs: 60_000 },
        clientAddress: (c) => c.req.header('x-test-client') ?? 'nobody',
      });
      const { key } = await bootstrapTeam(api, 'Limited');
      const from = (client: string, k: string) =>
        api.call('GET', '/v1/teams/current', { key: k, headers: { 'x-test-client': client } });

      for (let i = 0; i < 5; i++)
        expect((await from('10.0.0.1', `curio_bad${i}`)).status).toBe(401);
      const limited = await from('10.0.0.1', 'curio_bad');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect((await problemOf(limited)).detail).toMatch(/too many failed authentications/);
      // Even a good key waits out the window from that address; other addresses are not affected.
      expect((await from('10.0.0.1', key)).status).toBe(429);
      expect((await from('10.0.0.2', key)).status).toBe(200);
      // A wrong admin token on bootstrap counts too.
      const boot = () =>
        api.call('POST', '/v1/bootstrap', {
          key: 'not-the-admin-token',
          json: { teamName: 'X', email: 'x@example.com' },
          headers: { 'x-test-client': '10.0.0.3' },
        });
      for (let i = 0; i < 5; i++) expect((await boot()).status).toBe(401);
      expect((await boot()).status).toBe(429);

      now += 45_000;
      expect((await from('10.0.0.1', key)).headers.get('retry-after')).toBe('15');
      now += 15_000;
      expect((await from('10.0.0.1', key)).status).toBe(200);
      expect((await api.call('GET', '/v1/health')).status).toBe(200);
    },
  );

  pgTest('a failed query is logged without its parameters', async ({ db }) => {
    const secret = 'curio_secretvalue_do_not_log';
    const error = await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.hash, `${secret}\0`))
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error, 'PostgreSQL refuses a NUL in text').toBeDefined();
    expect(`${error!.message}`).toContain(secret); // the driver's own message does carry them
    const line = describeError(error!);
    expect(line).toMatch(/^database error/);
    expect(line).toContain('from "api_keys"');
    expect(line).not.toContain(secret);
    expect(line).not.toContain('\0');
  });
});

describe('escapeControl', () => {
  it('escapes control characters and lone surrogates, keeping newlines unless told', () => {
    expect(escapeControl('a\0b\x1b[31m\n\t')).toBe('a\\x00b\\x1b[31m\n\t');
    expect(escapeControl('a\nb\r', true)).toBe('a\\nb\\x0d');
    expect(escapeControl('x\ud800y\ud83d\ude00')).toBe('x\\ud800y\ud83d\ude00');
  });
});
