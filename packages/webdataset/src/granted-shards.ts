// Shard locations resolved inside a team's grants. A local location is made absolute, its symlinks
// resolved (realpath), and only then checked against the grants; a glob is expanded only from a
// granted folder and every match is checked the same way (matches outside are dropped, never
// named); a folder gives only its granted `*.tar`. Whatever fails (missing, outside the grants,
// a `file://` or `..` path that leads out, a store folder) is the same LocationUnavailableError.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob, isDynamicPattern, readdir, realpath, stat } from '#local-files';
import { parseS3Location } from '@curio/blob-store';
import { objectGranted, parseFetchUrl, pathGranted, type DataAccess } from './data-access.js';
import { LocationUnavailableError } from './location-error.js';

/** The local path a location names (a path or a file:// URL); undefined for anything else. */
export function localPathOf(location: string): string | undefined {
  if (/^file:/i.test(location)) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) return undefined;
  return path.resolve(location);
}

/** The real path of `file` when the team may read it; else the error naming `location`. */
export async function grantedRealPath(
  file: string,
  access: DataAccess,
  location: string,
): Promise<string> {
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined) throw new LocationUnavailableError(location, `${file} does not exist`);
  if (!pathGranted(real, access))
    throw new LocationUnavailableError(location, `${real} is outside the team's grants`);
  return real;
}

/** The real paths among `files` the team may read (others are dropped silently). */
async function keepGranted(files: readonly string[], access: DataAccess): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const real = await realpath(file).catch(() => undefined);
    if (real !== undefined && pathGranted(real, access)) out.push(real);
  }
  return out;
}

/** The leading folders of a glob that hold no pattern, and the pattern after them. */
function splitGlob(absolute: string): { base: string; pattern: string } {
  const parts = absolute.split(path.sep);
  let i = 0;
  while (i < parts.length - 1 && !isDynamicPattern(parts[i] as string)) i++;
  return { base: parts.slice(0, i).join(path.sep) || path.sep, pattern: parts.slice(i).join('/') };
}

async function grantedGlob(location: string, local: string, access: DataAccess) {
  const { base, pattern } = splitGlob(local);
  const realBase = await grantedRealPath(base, access, location);
  // symlinks are not followed (a link to / would walk the whole disk): a glob matches real files;
  // a folder location or a file named directly may still be a link, checked by its real path
  const matches = await glob(pattern, {
    cwd: realBase,
    absolute: true,
    onlyFiles: true,
    followSymbolicLinks: false,
  });
  const granted = [...new Set(await keepGranted(matches, access))].sort();
  if (granted.length === 0) throw new LocationUnavailableError(location, 'no granted matches');
  return granted;
}

/**
 * An `s3://bucket/key` shard the team may read. Prefixes and globs are listed by the API (it holds
 * the bucket's credentials) into such keys before anything here sees them.
 */
export function grantedObject(location: string, access: DataAccess): string {
  const object = parseS3Location(location);
  if (!object || object.key === '' || object.key.endsWith('/') || isDynamicPattern(object.key))
    throw new LocationUnavailableError(location, 'not one s3://bucket/key object');
  if (!objectGranted(location, access))
    throw new LocationUnavailableError(location, "outside the team's object-prefix grants");
  return location;
}

/**
 * One location's shards, inside `access`. An http(s) URL (without userinfo) passes through
 * normalised: whether it may be fetched is decided by the fetch, at every hop.
 */
export async function resolveGrantedLocation(
  location: string,
  access: DataAccess,
): Promise<string[]> {
  if (/^https?:/i.test(location)) {
    const url = parseFetchUrl(location);
    if (!url) throw new LocationUnavailableError(location, 'not an http(s) URL without userinfo');
    return [url.href];
  }
  if (/^s3:/i.test(location)) return [grantedObject(location, access)];
  const local = localPathOf(location);
  if (local === undefined) throw new LocationUnavailableError(location, 'unsupported scheme');
  const info = await stat(local).catch(() => undefined);
  if (!info && isDynamicPattern(local)) return grantedGlob(location, local, access);
  const real = await grantedRealPath(local, access, location);
  if (info?.isFile()) return [real];
  const names = (await readdir(real).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.tar'))
    .sort();
  const shards = await keepGranted(
    names.map((n) => path.join(real, n)),
    access,
  );
  if (shards.length === 0) throw new LocationUnavailableError(location, 'no granted .tar shards');
  return shards;
}
