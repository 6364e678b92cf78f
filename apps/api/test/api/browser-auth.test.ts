// Signing in from a browser: sign-up, login (one identical 401 for a wrong email or password),
// logout, the session cookie's attributes, CSRF on every write made with the cookie (bearer keys
// unchanged), invites (roles, single use, expiry), one-time login links, and team isolation.
import { eq } from '@curio/db';
import { sessions, teamInvites, users } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { ADMIN_TOKEN, problemOf, testApi, type TestApi } from '../support/api.js';
import { browserOf, signUp, type Browser } from '../support/browser.js';
import { createCatalog } from '../support/catalog.js';

/** A queued run in the browser's team (made through a key the session creates). */
async function runOf(api: TestApi, browser: Browser): Promise<string> {
  const res = await browser.call('POST', '/v1/keys', { json: { name: 'setup' } });
  const { secret } = (await res.json()) as { secret: string };
  const cat = await createCatalog(api, secret);
  const run = await api.json('POST', '/v1/runs', 201, {
    key: secret,
    json: { experimentId: cat.experimentId },
  });
  return run.id as string;
}

async function invite(api: TestApi, owner: Browser, role: string, email?: string) {
  const res = await owner.call('POST', '/v1/invites', { json: { role, email } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; url: string; role: string };
}

const accept = (api: TestApi, token: string, email: string, password = 'viewer pass 1') =>
  api.call('POST', `/v1/invites/${token}/accept`, { json: { email, password } });

describe('browser sign-in', () => {
  pgTest(
    'sign-up, session, login, logout; passwords stored and logged only hashed',
    async ({ db }) => {
      const logs: string[] = [];
      const api = await testApi(db, { log: (m) => logs.push(m) });
      const signup = await api.call('POST', '/v1/auth/signup', {
        json: { email: 'Ada@Example.com', password: 'hunter2 hunter2', teamName: 'Acme' },
      });
      const cookie = signup.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^curio_session=[\w-]{40,};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/);
      const ada = await browserOf(api, signup, 201);
      expect(ada.session).toMatchObject({
        user: { email: 'ada@example.com' },
        team: { name: 'Acme' },
        role: 'owner',
      });

      const me = await ada.call('GET', '/v1/auth/session');
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual(ada.session);
      // The session acts through the same caller as a key: every team route works with it.
      expect((await ada.call('GET', '/v1/teams/current')).status).toBe(200);

      const [row] = await db.select().from(users).where(eq(users.email, 'ada@example.com'));
      expect(row!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
      const [stored] = await db.select().from(sessions).where(eq(sessions.userId, row!.id));
      expect(stored!.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(ada.cookie).not.toContain(stored!.secretHash);

      const again = await api.call('POST', '/v1/auth/signup', {
        json: { email: 'ada@example.com', password: 'another one', teamName: 'Acme 2' },
      });
      expect(again.status).toBe(409);

      const wrongPassword = await api.call('POST', '/v1/auth/login', {
        json: { email: 'ada@example.com', password: 'hunter3 hunter3' },
      });
      const noSuchUser = await api.call('POST', '/v1/auth/login', {
        json: { email: 'bob@example.com', password: 'hunter2 hunter2' },
      });
      expect(wrongPassword.status).toBe(401);
      expect(noSuchUser.status).toBe(401);
      const strip = ({ requestId: _, ...p }: object & { requestId?: string }) => p;
      expect(strip(await problemOf(wrongPassword))).toEqual(strip(await problemOf(noSuchUser)));

      const login = await api.call('POST', '/v1/auth/login', {
        json: { email: 'ADA@example.com', password: 'hunter2 hunter2' },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(login.headers.get('set-cookie')).toMatch(/Secure/);
      const second = await browserOf(api, login);
      expect(second.session.team.id).toBe(ada.session.team.id);

      const out = await ada.call('POST', '/v1/auth/logout');
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^curio_session=;.*Max-Age=0/);
      expect((await ada.call('GET', '/v1/auth/session')).status).toBe(401);
      expect((await second.call('GET', '/v1/auth/session')).status).toBe(200);
      expect((await api.call('GET', '/v1/auth/session')).status).toBe(401);

      for (const line of logs) expect(line).not.toMatch(/hunter/);
    },
  );

  pgTest(
    'CSRF: a write with the cookie needs the token; a bearer key needs none',
    async ({ db }) => {
      const api = await testApi(db);
      const { browser } = await signUp(api, 'Csrf');
      const noHeader = await browser.call('POST', '/v1/keys', { json: { name: 'k' }, csrf: false });
      expect(noHeader.status).toBe(403);
      expect((await problemOf(noHeader)).type).toMatch(/csrf-failed$/);
      const forged = await browser.call('POST', '/v1/keys', {
        json: { name: 'k' },
        headers: { 'x-csrf-token': 'A'.repeat(43) },
      });
      expect(forged.status).toBe(403);
      // A cross-site form post: no JSON, no header.
      const form = await browser.call('POST', '/v1/auth/logout', {
        body: 'a=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        csrf: false,
      });
      expect([403, 415]).toContain(form.status);
      expect((await browser.call('GET', '/v1/auth/session')).status).toBe(200);

      const created = await browser.call('POST', '/v1/keys', { json: { name: 'k' } });
      expect(created.status).toBe(201);
      const { secret } = (await created.json()) as { secret: string };
      expect(
        (await api.call('POST', '/v1/keys', { key: secret, json: { name: 'by key' } })).status,
      ).toBe(201);
      // A key and a session cookie together: the key decides, no CSRF token needed.
      const both = await api.call('POST', '/v1/keys', {
        key: secret,
        json: { name: 'both' },
        headers: { cookie: browser.cookie },
      });
      expect(both.status).toBe(201);
    },
  );

  pgTest('invites: roles, single use, expiry; a viewer cannot cancel', async ({ db }) => {
    const api = await testApi(db);
    const { browser: owner } = await signUp(api, 'Inviting');
    const runId = await runOf(api, owner);

    const member = await invite(api, owner, 'member');
    expect(member.url).toBe(`/invite/${member.token}`);
    const viewerInvite = await invite(api, owner, 'viewer', 'Vera@example.com');
    const list = await owner.call('GET', '/v1/invites');
    const listed = JSON.stringify(await list.json());
    expect(listed).toContain(viewerInvite.id);
    expect(listed).not.toContain(viewerInvite.token);

    expect((await accept(api, viewerInvite.token, 'other@example.com')).status).toBe(403);
    const vera = await browserOf(api, await accept(api, viewerInvite.token, 'vera@example.com'));
    expect(vera.session).toMatchObject({ role: 'viewer', team: { id: owner.session.team.id } });
    const reused = await accept(api, viewerInvite.token, 'vera@example.com');
    expect(reused.status).toBe(410);

    // The viewer reads, but every write is refused, with or without the CSRF token.
    expect((await vera.call('GET', `/v1/runs/${runId}`)).status).toBe(200);
    expect((await vera.call('POST', `/v1/runs/${runId}/cancel`)).status).toBe(403);
    expect((await vera.call('POST', `/v1/runs/${runId}/cancel`, { csrf: false })).status).toBe(403);
    expect((await vera.call('POST', '/v1/invites', { json: { role: 'owner' } })).status).toBe(403);
    expect((await vera.call('POST', '/v1/auth/logout')).status).toBe(204);

    const mia = await browserOf(
      api,
      await accept(api, member.token, 'mia@example.com', 'mia pass 12'),
    );
    expect(mia.session.role).toBe('member');
    expect((await mia.call('POST', '/v1/invites', { json: { role: 'viewer' } })).status).toBe(403);
    expect((await mia.call('POST', `/v1/runs/${runId}/cancel`, { csrf: false })).status).toBe(403);
    expect((await mia.call('POST', `/v1/runs/${runId}/cancel`)).status).toBe(200);

    // An existing account joins another team with its own password only.
    const { browser: other } = await signUp(api, 'Other');
    const join = await invite(api, other, 'member');
    expect((await accept(api, join.token, 'mia@example.com', 'not her password')).status).toBe(401);
    const [unused] = await db.select().from(teamInvites).where(eq(teamInvites.id, join.id));
    expect(unused!.usedAt).toBeNull();
    const joined = await browserOf(
      api,
      await accept(api, join.token, 'mia@example.com', 'mia pass 12'),
    );
    expect(joined.session.team.id).toBe(other.session.team.id);

    const late = await invite(api, owner, 'member');
    await db
      .update(teamInvites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(teamInvites.id, late.id));
    const expired = await accept(api, late.token, 'late@example.com');
    expect(expired.status).toBe(410);
    expect((await problemOf(expired)).type).toMatch(/invite-expired$/);
    expect((await accept(api, 'no-such-token', 'x@example.com')).status).toBe(404);
  });

  pgTest('login links: one use; an owner or the admin token makes them', async ({ db }) => {
    const api = await testApi(db);
    const { browser: owner } = await signUp(api, 'Linked');
    const made = await owner.call('POST', '/v1/auth/login-links', { json: {} });
    expect(made.status).toBe(201);
    const link = (await made.json()) as { url: string; token: string };
    expect(link.url).toBe(`/login/${link.token}`);
    const redeem = () => api.call('POST', `/v1/auth/login-links/${link.token}/redeem`);
    const signedIn = await browserOf(api, await redeem());
    expect(signedIn.session).toMatchObject({ role: 'owner', user: { id: owner.session.user.id } });
    expect((await redeem()).status).toBe(410);

    const byAdmin = await api.call('POST', '/v1/auth/login-links', {
      key: ADMIN_TOKEN,
      json: { teamId: owner.session.team.id },
    });
    expect(byAdmin.status).toBe(201);
    const noTeam = await api.call('POST', '/v1/auth/login-links', { key: ADMIN_TOKEN, json: {} });
    expect(noTeam.status).toBe(400);
    expect((await api.call('POST', '/v1/auth/login-links', { json: {} })).status).toBe(401);
    const forged = await owner.call('POST', '/v1/auth/login-links', { json: {}, csrf: false });
    expect(forged.status).toBe(403);
    const viewer = await invite(api, owner, 'viewer');
    const vic = await browserOf(api, await accept(api, viewer.token, 'vic@example.com'));
    expect((await vic.call('POST', '/v1/auth/login-links', { json: {} })).status).toBe(403);
  });

  pgTest('wrong passwords count toward the failed-authentication limit', async ({ db }) => {
    const api = await testApi(db, {
      limits: { authFailures: 3 },
      clientAddress: (c) => c.req.header('x-test-client') ?? 'nobody',
    });
    const { email } = await signUp(api, 'Guarded');
    const login = (client: string, password: string) =>
      api.call('POST', '/v1/auth/login', {
        json: { email, password },
        headers: { 'x-test-client': client },
      });
    for (let i = 0; i < 3; i++) expect((await login('10.0.0.1', `guess ${i}`)).status).toBe(401);
    expect((await login('10.0.0.1', 'correct horse 1')).status).toBe(429);
    expect((await login('10.0.0.2', 'correct horse 1')).status).toBe(200);
    // A signed-out dashboard asking who it is guesses nothing: never limited.
    for (let i = 0; i < 5; i++) {
      const res = await api.call('GET', '/v1/auth/session', {
        headers: { 'x-test-client': '10.0.0.3' },
      });
      expect(res.status).toBe(401);
    }
  });

  pgTest("a session of team A gets 404 on team B's run", async ({ db }) => {
    const api = await testApi(db);
    const { browser: a } = await signUp(api, 'Team A');
    const { browser: b } = await signUp(api, 'Team B');
    const runB = await runOf(api, b);
    expect((await a.call('GET', `/v1/runs/${runB}`)).status).toBe(404);
    expect((await a.call('POST', `/v1/runs/${runB}/cancel`)).status).toBe(404);
    expect((await b.call('GET', `/v1/runs/${runB}`)).status).toBe(200);
  });
});
