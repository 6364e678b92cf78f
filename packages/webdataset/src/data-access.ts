// What one team may read (`DataAccess` in @curio/contracts: its grants, its own upload folder,
// the store folders nothing may read, the outbound-fetch limits). The API builds one per request
// from the team's stored grants; the worker gets its run's team's with the assignment.
// `pathGranted` and `urlGranted` are the rule; `granted-shards.ts` and `outbound-fetch.ts` apply it.
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { s3LocationUnder } from '@curio/blob-store';
import type { DataAccess, FetchLimits } from '@curio/contracts';
import { parseAllowList, type AllowEntry } from './address-rule.js';

export type { DataAccess, DataGrantSpec as DataGrant, FetchLimits } from '@curio/contracts';

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  allowHosts: [],
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 10 * 60_000,
  maxBytes: 4 * 1024 ** 3,
  maxRedirects: 5,
};

/** Access with no grants: public http(s) URLs only, with the default fetch limits. */
export const PUBLIC_ONLY: DataAccess = {
  grants: [],
  protectedDirs: [],
  fetch: DEFAULT_FETCH_LIMITS,
};

/** True when `child` is `parent` or lies below it (both absolute and normalised). */
export function insideDir(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * True when `real` (absolute, normalised, symlinks already resolved) may be read: inside the
 * team's upload folder, or inside a granted directory and no protected store folder.
 */
export function pathGranted(real: string, access: DataAccess): boolean {
  if (access.uploadDir !== undefined && insideDir(real, access.uploadDir)) return true;
  if (access.protectedDirs.some((dir) => insideDir(real, dir))) return false;
  return access.grants.some((g) => g.kind === 'directory' && insideDir(real, g.location));
}

/**
 * True when the `s3://` location lies in the team's upload prefix, or under an object-prefix grant
 * and not in the blob store's own prefix.
 */
export function objectGranted(location: string, access: DataAccess): boolean {
  if (access.uploadPrefix !== undefined && s3LocationUnder(location, access.uploadPrefix))
    return true;
  if (access.protectedPrefixes?.some((prefix) => s3LocationUnder(location, prefix))) return false;
  return access.grants.some(
    (g) => g.kind === 'object-prefix' && s3LocationUnder(location, g.location),
  );
}

/** The URL parsed, when it is http(s) with no user name or password in it. */
export function parseFetchUrl(location: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url;
}

/**
 * True when the URL lies under one of the team's `url-prefix` grants (compared after the URL
 * parser has normalised `..`, `%2e%2e`, case and default ports). Such a URL may reach its host
 * even at a private address; any other http(s) URL is fetched only at a public (or allowlisted)
 * address.
 */
export function urlGranted(url: URL, access: DataAccess): boolean {
  return access.grants.some((g) => {
    if (g.kind !== 'url-prefix') return false;
    const prefix = parseFetchUrl(g.location);
    if (!prefix || prefix.origin !== url.origin) return false;
    const base = prefix.pathname.endsWith('/') ? prefix.pathname : `${prefix.pathname}/`;
    return url.pathname === prefix.pathname || url.pathname.startsWith(base);
  });
}

/** The fetch allowlist, parsed once per access object. */
const allowLists = new WeakMap<FetchLimits, AllowEntry[]>();
export function allowListOf(access: DataAccess): AllowEntry[] {
  let list = allowLists.get(access.fetch);
  if (!list) {
    list = parseAllowList(access.fetch.allowHosts);
    allowLists.set(access.fetch, list);
  }
  return list;
}

const scope = new AsyncLocalStorage<DataAccess>();

/**
 * Run `fn` with `access` as the rule for every shard location resolved and every shard opened
 * inside it (the API around a team's request, the worker around its run).
 */
export function withDataAccess<T>(access: DataAccess, fn: () => T): T {
  return scope.run(access, fn);
}

/** The access in force; undefined outside `withDataAccess` (standalone: local paths unchecked). */
export function currentDataAccess(): DataAccess | undefined {
  return scope.getStore();
}
