// Bootstrap, the current team, and API keys: created with a secret shown once, listed by prefix,
// last use recorded, revoked at once.
import { apiKeys } from '@curio/db/schema';
import { eq } from '@curio/db';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { ADMIN_TOKEN, bootstrapTeam, testApi, problemOf } from '../support/api.js';

describe('bootstrap and keys', () => {
  pgTest('bootstrap opens once; the admin token makes more teams', async ({ db }) => {
    const api = await testApi(db);
    const first = await api.json('POST', '/v1/bootstrap', 201, {
      json: { teamName: 'Acme Vision', email: 'Ada@Example.com', userName: 'Ada' },
    });
    expect(first.team).toMatchObject({ name: 'Acme Vision', slug: 'acme-vision' });
    expect(first.user.email).toBe('ada@example.com');
    expect(first.key.secret).toMatch(/^curio_/);
    expect(first.key.role).toBe('owner');

    const closed = await api.call('POST', '/v1/bootstrap', {
      json: { teamName: 'Other', email: 'o@example.com' },
    });
    expect(closed.status).toBe(403);
    expect(closed.headers.get('content-type')).toContain('application/problem+json');
    expect((await problemOf(closed)).detail).toMatch(/bootstrap is closed/);

    const wrong = await api.call('POST', '/v1/bootstrap', {
      key: 'nope',
      json: { teamName: 'Other', email: 'o@example.com' },
    });
    expect(wrong.status).toBe(401);
    await bootstrapTeam(api, 'Other', ADMIN_TOKEN);

    const me = await api.json('GET', '/v1/teams/current', 200, { key: first.key.secret });
    expect(me).toMatchObject({
      team: { id: first.team.id },
      role: 'owner',
      user: { email: 'ada@example.com' },
    });
    expect(me.key.prefix).toBe(first.key.prefix);
  });

  pgTest('keys: secret once, hash stored, last used, revoke → 401', async ({ db }) => {
    const api = await testApi(db);
    const { key: owner } = await bootstrapTeam(api, 'Keys');
    const created = await api.json('POST', '/v1/keys', 201, {
      key: owner,
      json: { name: 'ci', role: 'viewer' },
    });
    expect(created.secret).toMatch(/^curio_/);
    expect(created.prefix).toBe(created.secret.slice(0, 14));

    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(row!.lastUsedAt).toBeNull();

    await api.json('GET', '/v1/teams/current', 200, { key: created.secret });
    const listed = await api.json('GET', '/v1/keys', 200, { key: owner });
    const entry = listed.items.find((k: { id: string }) => k.id === created.id);
    expect(entry).toMatchObject({ name: 'ci', role: 'viewer', revokedAt: null });
    expect(entry.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const viewerWrite = await api.call('POST', '/v1/keys', {
      key: created.secret,
      json: { name: 'x' },
    });
    expect(viewerWrite.status).toBe(403);

    const revoked = await api.json('DELETE', `/v1/keys/${created.id}`, 200, { key: owner });
    expect(revoked.revokedAt).not.toBeNull();
    const after = await api.call('GET', '/v1/teams/current', { key: created.secret });
    expect(after.status).toBe(401);
    expect((await problemOf(after)).detail).toMatch(/revoked/);
  });

  pgTest('a member cannot mint an owner key', async ({ db }) => {
    const api = await testApi(db);
    const { key: owner } = await bootstrapTeam(api, 'Roles');
    const member = await api.json('POST', '/v1/keys', 201, {
      key: owner,
      json: { name: 'member' },
    });
    expect(member.role).toBe('member');
    const res = await api.call('POST', '/v1/keys', {
      key: member.secret,
      json: { name: 'up', role: 'owner' },
    });
    expect(res.status).toBe(403);
  });
});
