// A team and key for `serve` and `demo`: the key given (--key, CURIO_API_KEY) or saved in
// `<data dir>/cli.json` when the API still knows it; else a new team through POST /v1/bootstrap
// (open on a fresh store; with the admin token once a team exists). Saved for later commands.
import { randomBytes } from 'node:crypto';
import { createClient, ok, problemOf } from './client.js';
import { readSaved, writeSaved } from './connection.js';
import type { CliEnv } from './env.js';

export interface TeamKey {
  key: string;
  keyPrefix: string;
  team: { id: string; name: string };
  /** True when the team and key were made now (the secret has not been shown before). */
  created: boolean;
  /** Where the credentials were saved. */
  file: string;
}

export interface TeamKeyOptions {
  url: string;
  /** A key to try first (--key, CURIO_API_KEY). */
  key?: string | undefined;
  /** Lets a team be made on a store that has one (the embedded API's). */
  adminToken?: string | undefined;
  teamName: string;
  email: string;
}

export async function ensureTeamKey(env: CliEnv, o: TeamKeyOptions): Promise<TeamKey> {
  const saved = await readSaved(env);
  for (const key of [o.key, saved?.key]) {
    if (!key) continue;
    const res = await createClient({ url: o.url, key }).v1.teams.current.$get();
    if (res.status === 401) continue; // unknown or revoked here: try the next, or make a team
    if (!res.ok) throw await problemOf(res, 'checking the API key');
    const current = await res.json();
    if (!current.key) continue; // answered for a browser session, not this key: cannot happen
    const team = { id: current.team.id, name: current.team.name };
    const file = await writeSaved(env, { url: o.url, key, keyPrefix: current.key.prefix, team });
    return { key, keyPrefix: current.key.prefix, team, created: false, file };
  }
  const client = createClient({ url: o.url, key: undefined });
  const body = { teamName: o.teamName, email: o.email, keyName: 'cli' };
  let res = await client.v1.bootstrap.$post({ json: body });
  if (res.status === 403 && o.adminToken) {
    // The store has a team already (its key was lost): make another with the admin token.
    const admin = createClient({ url: o.url, key: o.adminToken });
    const teamSlug = `${slug(o.teamName)}-${randomBytes(3).toString('hex')}`;
    res = await admin.v1.bootstrap.$post({ json: { ...body, teamSlug } });
  }
  const made = await ok('creating a team', res);
  const team = { id: made.team.id, name: made.team.name };
  const file = await writeSaved(env, {
    url: o.url,
    key: made.key.secret,
    keyPrefix: made.key.prefix,
    team,
  });
  return { key: made.key.secret, keyPrefix: made.key.prefix, team, created: true, file };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'team'
  );
}
