// Team members: listed with role and join time for everyone in the team; an owner changes roles
// and removes members, never leaving the team without an owner; members and viewers change
// nothing (403); another team's members are neither listed nor reachable (404); a removed
// member's session ends.
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { problemOf, testApi, type TestApi } from '../support/api.js';
import { browserOf, signUp, type Browser } from '../support/browser.js';

async function join(api: TestApi, owner: Browser, role: string, email: string) {
  const res = await owner.call('POST', '/v1/invites', { json: { role } });
  const { token } = (await res.json()) as { token: string };
  const accepted = await api.call('POST', `/v1/invites/${token}/accept`, {
    json: { email, password: 'member pass 1' },
  });
  return browserOf(api, accepted);
}

const members = async (b: Browser) => {
  const res = await b.call('GET', '/v1/teams/current/members');
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { userId: string; email: string; role: string }[] }).items;
};

describe('team members', () => {
  pgTest('list, change a role, remove; the last owner stays; roles enforced', async ({ db }) => {
    const api = await testApi(db);
    const { browser: owner, email: ownerEmail } = await signUp(api, 'Members');
    const mia = await join(api, owner, 'member', 'mia@example.com');
    const vera = await join(api, owner, 'viewer', 'vera@example.com');
    const ownerId = owner.session.user.id;
    const miaId = mia.session.user.id;

    const listed = await members(vera);
    expect(listed.map((m) => [m.email, m.role])).toEqual([
      [ownerEmail, 'owner'],
      ['mia@example.com', 'member'],
      ['vera@example.com', 'viewer'],
    ]);
    expect(listed[0]).toMatchObject({ userId: ownerId, joinedAt: expect.any(String) });

    // Only an owner changes anything; a viewer's or member's attempt is 403 and changes nothing.
    const path = (id: string) => `/v1/teams/current/members/${id}`;
    for (const who of [vera, mia]) {
      const res = await who.call('PATCH', path(miaId), { json: { role: 'owner' } });
      expect(res.status).toBe(403);
      expect((await who.call('DELETE', path(ownerId))).status).toBe(403);
    }
    expect((await members(owner)).map((m) => m.role)).toEqual(['owner', 'member', 'viewer']);

    // The only owner cannot step down or leave.
    const demote = await owner.call('PATCH', path(ownerId), { json: { role: 'member' } });
    expect(demote.status).toBe(409);
    expect((await problemOf(demote)).detail).toMatch(/only owner/);
    expect((await owner.call('DELETE', path(ownerId))).status).toBe(409);
    const bad = await owner.call('PATCH', path(miaId), { json: { role: 'admin' } });
    expect(bad.status).toBe(400);

    // With a second owner, the first may step down.
    const promoted = await owner.call('PATCH', path(miaId), { json: { role: 'owner' } });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ userId: miaId, role: 'owner' });
    expect((await owner.call('PATCH', path(ownerId), { json: { role: 'viewer' } })).status).toBe(
      200,
    );
    expect((await owner.call('GET', '/v1/auth/session')).status).toBe(200);
    expect((await owner.call('DELETE', path(miaId))).status).toBe(403);

    // Mia, now the only owner, removes Vera: her session ends at once.
    expect((await mia.call('DELETE', path(vera.session.user.id))).status).toBe(204);
    expect((await vera.call('GET', '/v1/teams/current/members')).status).toBe(401);
    expect((await members(mia)).map((m) => [m.userId, m.role])).toEqual([
      [miaId, 'owner'],
      [ownerId, 'viewer'],
    ]);
    expect((await mia.call('DELETE', path(vera.session.user.id))).status).toBe(404);
  });

  pgTest("another team's members are neither listed nor reachable", async ({ db }) => {
    const api = await testApi(db);
    const { browser: a } = await signUp(api, 'Team A');
    const { browser: b } = await signUp(api, 'Team B');
    const bob = await join(api, b, 'member', 'bob@example.com');
    expect((await members(a)).map((m) => m.userId)).toEqual([a.session.user.id]);
    const path = `/v1/teams/current/members/${bob.session.user.id}`;
    expect((await a.call('PATCH', path, { json: { role: 'viewer' } })).status).toBe(404);
    expect((await a.call('DELETE', path)).status).toBe(404);
    expect((await members(b)).find((m) => m.userId === bob.session.user.id)?.role).toBe('member');
  });
});
