// A signed-in browser for tests: the session cookie from a sign-in answer, sent back on every
// call, with the CSRF header on writes unless a test leaves it out.
import type { AuthSession } from '@curio/contracts';
import type { CallOptions, TestApi } from './api.js';

export interface Browser {
  session: AuthSession;
  cookie: string;
  /** `csrf: false` leaves the x-csrf-token header out (a forged request). */
  call(method: string, path: string, o?: CallOptions & { csrf?: boolean }): Promise<Response>;
}

/** The `curio_session=<secret>` pair of a Set-Cookie header. */
export function sessionCookieOf(res: Response): string {
  const header = res.headers.get('set-cookie') ?? '';
  const match = /(?:^|,\s*)(curio_session=[^;]*)/.exec(header);
  if (!match) throw new Error(`no session cookie in: ${header}`);
  return match[1]!;
}

/** The browser signed in by `res` (a sign-up, login, accepted invite or redeemed link). */
export async function browserOf(api: TestApi, res: Response, status = 200): Promise<Browser> {
  const text = await res.text();
  if (res.status !== status)
    throw new Error(`sign-in: expected ${status}, got ${res.status}: ${text}`);
  const session = JSON.parse(text) as AuthSession;
  const cookie = sessionCookieOf(res);
  return {
    session,
    cookie,
    call: (method, path, o = {}) =>
      api.call(method, path, {
        ...o,
        headers: {
          cookie,
          ...(o.csrf !== false && { 'x-csrf-token': session.csrfToken }),
          ...o.headers,
        },
      }),
  };
}

let serial = 0;

export async function signUp(api: TestApi, teamName: string, password = 'correct horse 1') {
  const email = `${teamName.toLowerCase().replace(/\W+/g, '-')}-${++serial}@example.com`;
  const res = await api.call('POST', '/v1/auth/signup', {
    json: { email, password, name: `${teamName} owner`, teamName },
  });
  return { email, password, browser: await browserOf(api, res, 201) };
}
