// Where shards are and how their bytes are read: locations (paths, directories, globs, file:// and
// http(s):// URLs) resolve to a sorted list of shards; a shard opens as a stream of byte chunks.
// Inside `withDataAccess` both follow the team's grants (granted-shards.ts, outbound-fetch.ts);
// outside it (standalone `curio-train`) local paths are read as given, URLs only at public
// addresses.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReadStream, glob, isDynamicPattern, readdir, stat } from '#local-files';
import { currentDataAccess, PUBLIC_ONLY, type DataAccess } from './data-access.js';
import { grantedObject, grantedRealPath, resolveGrantedLocation } from './granted-shards.js';
import { isLocationUnavailable, LocationUnavailableError } from './location-error.js';
import { fetchShardBody } from '#outbound-fetch';

const REMOTE = /^https?:\/\//i;

export function isRemoteShard(shard: string): boolean {
  return REMOTE.test(shard);
}

/**
 * Turn shard locations into shard paths/URLs: a file is itself, a directory gives every `*.tar`
 * directly inside it (sorted), a glob gives its matches (sorted), `file://` URLs become paths and
 * `http(s)://` URLs pass through unchanged. Duplicates are dropped, order is otherwise kept.
 * A location that matches nothing is an error naming it. Under a data access (`withDataAccess`)
 * only what it grants resolves, symlinks resolved; anything else is a LocationUnavailableError.
 */
export async function resolveShards(locations: readonly string[]): Promise<string[]> {
  if (locations.length === 0) throw new Error('resolveShards: no shard locations given');
  const access = currentDataAccess();
  const out: string[] = [];
  const seen = new Set<string>();
  for (const location of locations) {
    const shards = access
      ? await resolveGrantedLocation(location, access)
      : await resolveLocation(location);
    for (const shard of shards) {
      if (seen.has(shard)) continue;
      seen.add(shard);
      out.push(shard);
    }
  }
  return out;
}

async function resolveLocation(location: string): Promise<string[]> {
  if (location.trim() === '') throw new Error('shard location is an empty string');
  if (isRemoteShard(location)) return [location];
  let local = location;
  if (/^file:/i.test(location)) {
    try {
      local = fileURLToPath(location);
    } catch (err) {
      throw new Error(
        `shard location ${location} is not a valid file:// URL: ${(err as Error).message}`,
      );
    }
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(location)) {
    throw new Error(
      `shard location ${location}: only file://, http:// and https:// URLs are supported`,
    );
  }
  const absolute = path.resolve(local);
  const info = await stat(absolute).catch(() => null);
  if (info?.isFile()) return [absolute];
  if (info?.isDirectory()) {
    const names = (await readdir(absolute)).filter((n) => n.endsWith('.tar')).sort();
    if (names.length === 0)
      throw new Error(`shard location ${location} is a directory with no .tar shards`);
    return names.map((n) => path.join(absolute, n));
  }
  if (isDynamicPattern(local)) {
    const matches = await glob(local, { absolute: true, onlyFiles: true });
    if (matches.length === 0)
      throw new Error(`shard location ${location}: the glob matches no files`);
    return matches.map((m) => path.resolve(m)).sort();
  }
  throw new Error(`shard location ${location} matches nothing (no such file or directory)`);
}

/**
 * The bytes of one shard as a stream of chunks: a local file (path or file:// URL) or the body of
 * an HTTP GET (outbound-fetch.ts: checked addresses, manual redirects, timeouts, a size cap).
 * Under a data access a local file is checked against the grants again when it is opened.
 */
export async function openShardBytes(
  shard: string,
  signal?: AbortSignal,
): Promise<AsyncIterable<Uint8Array>> {
  const access = currentDataAccess();
  if (isRemoteShard(shard)) return fetchShardBody(shard, access ?? PUBLIC_ONLY, signal);
  if (/^s3:/i.test(shard)) return openObject(shard, access, signal);
  const given = /^file:/i.test(shard) ? fileURLToPath(shard) : shard;
  const file = access ? await grantedRealPath(given, access, shard) : given;
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

/**
 * An `s3://` shard, read through the presigned GET URL the API signed for it (the worker holds
 * no bucket credentials). The API signed it, so its host may be private; the grant is checked
 * again here all the same.
 */
function openObject(
  shard: string,
  access: DataAccess | undefined,
  signal?: AbortSignal,
): Promise<AsyncIterable<Uint8Array>> {
  if (!access)
    throw new Error(`shard ${shard}: s3:// shards are read only in a run the API assigns`);
  grantedObject(shard, access);
  const url = access.objectUrls?.[shard];
  if (!url) throw new LocationUnavailableError(shard, 'the API signed no URL to read it');
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const trusted = {
    ...access,
    fetch: { ...access.fetch, allowHosts: [...access.fetch.allowHosts, host] },
  };
  return fetchShardBody(url, trusted, signal).catch((err: unknown) => {
    throw unsigned(err, url, shard);
  });
}

/** The error with the signed URL (its signature with it) replaced by the shard's `s3://` name. */
function unsigned(err: unknown, url: string, shard: string): Error {
  if (isLocationUnavailable(err))
    return new LocationUnavailableError(shard, err.reason.replaceAll(url, shard));
  return new Error(String((err as Error)?.message ?? err).replaceAll(url, shard));
}

/** A short name for a shard in messages and ids (the last path segment). */
export function shardLabel(shard: string): string {
  const trimmed = shard.replace(/[?#].*$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || shard;
}
