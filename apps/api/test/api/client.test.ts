// The CLI and the dashboard call the API through `hc<AppType>`: requests and answers are typed
// from the routes' schemas. This checks the types flow (tsc) and the calls work.
import { pgTest } from '@curio/testing';
import { hc } from 'hono/client';
import { describe, expect } from 'vitest';
import type { AppType } from '../../src/app.js';
import { bootstrapTeam, testApi } from '../support/api.js';

describe('typed client', () => {
  pgTest('hc<AppType> creates and lists with typed bodies', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Client');
    const client = hc<AppType>('http://curio.test', {
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        api.app.request(input instanceof Request ? input : String(input), init),
      headers: { authorization: `Bearer ${key}` },
    });
    const created = await client.v1['metadata-sets'].$post({
      json: { name: 'shapes', names: ['red circle'] },
    });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    const set = await created.json();
    const latest: number = set.latestVersion;
    expect(latest).toBe(1);

    const listed = await client.v1['metadata-sets'].$get({ query: { limit: 10 } });
    if (listed.status !== 200) throw new Error(`list answered ${listed.status}`);
    const page = await listed.json();
    const names: string[] = page.items.map((s) => s.name);
    expect(names).toEqual(['shapes']);
    expect(page.nextCursor).toBeNull();

    const me = await client.v1.teams.current.$get();
    if (me.status !== 200) throw new Error(`current answered ${me.status}`);
    const role: 'owner' | 'member' | 'viewer' = (await me.json()).role;
    expect(role).toBe('owner');
  });
});
