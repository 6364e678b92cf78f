// Where shards are and how their bytes are read: locations (paths, directories, globs, file:// and
// http(s):// URLs) resolve to a sorted list of shards; a shard opens as a stream of byte chunks.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { glob, isDynamicPattern } from 'tinyglobby';

const REMOTE = /^https?:\/\//i;

export function isRemoteShard(shard: string): boolean {
  return REMOTE.test(shard);
}

/**
 * Turn shard locations into shard paths/URLs: a file is itself, a directory gives every `*.tar`
 * directly inside it (sorted), a glob gives its matches (sorted), `file://` URLs become paths and
 * `http(s)://` URLs pass through unchanged. Duplicates are dropped, order is otherwise kept.
 * A location that matches nothing is an error naming it.
 */
export async function resolveShards(locations: readonly string[]): Promise<string[]> {
  if (locations.length === 0) throw new Error('resolveShards: no shard locations given');
  const out: string[] = [];
  const seen = new Set<string>();
  for (const location of locations) {
    for (const shard of await resolveLocation(location)) {
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
 * an HTTP GET. Rejects, naming the shard, when a URL answers with an error status.
 */
export async function openShardBytes(
  shard: string,
  signal?: AbortSignal,
): Promise<AsyncIterable<Uint8Array>> {
  if (isRemoteShard(shard)) {
    const response = await fetch(shard, signal ? { signal } : {});
    if (!response.ok)
      throw new Error(`GET ${shard} answered HTTP ${response.status} ${response.statusText}`);
    if (!response.body) throw new Error(`GET ${shard} returned no body`);
    return Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
  }
  const file = /^file:/i.test(shard) ? fileURLToPath(shard) : shard;
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

/** A short name for a shard in messages and ids (the last path segment). */
export function shardLabel(shard: string): string {
  const trimmed = shard.replace(/[?#].*$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || shard;
}
