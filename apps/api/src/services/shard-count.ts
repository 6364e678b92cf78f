// Pool shards are counted when they are added: each location resolves, inside the team's grants,
// to shard files (a directory gives its *.tar, a glob its granted matches) and each shard is read
// to count its usable image-caption samples. An unreadable or empty shard refuses the whole
// request, naming it; a location the team may not read (or that does not exist) is named only as
// the team wrote it, and a URL that cannot be fetched reads the same (no status, no address).
import type { DataAccess } from '@curio/contracts';
import {
  countShardSamples,
  createDataStats,
  isRemoteShard,
  LocationUnavailableError,
  resolveShards,
  withDataAccess,
} from '@curio/webdataset';
import { unprocessable, type FieldError } from '../http/problem.js';

export interface CountedShard {
  uri: string;
  sampleCount: number;
}

/**
 * Resolve and count `locations` (the request's `shards`) under the team's `access`; throws a 422
 * naming each bad one.
 */
export function countShards(
  locations: readonly string[],
  access: DataAccess,
  options: { concurrency?: number } = {},
): Promise<CountedShard[]> {
  return withDataAccess(access, () => resolveAndCount(locations, options));
}

async function resolveAndCount(
  locations: readonly string[],
  options: { concurrency?: number },
): Promise<CountedShard[]> {
  const errors: FieldError[] = [];
  const found: { uri: string; field: string; location: string }[] = [];
  const seen = new Set<string>();
  for (const [i, location] of locations.entries()) {
    try {
      for (const uri of await resolveShards([location])) {
        if (seen.has(uri)) continue;
        seen.add(uri);
        found.push({ uri, field: `shards.${i}`, location });
      }
    } catch (error) {
      errors.push({ path: `shards.${i}`, message: (error as Error).message });
    }
  }
  if (errors.length) throw unreadable(errors);

  const counted: CountedShard[] = new Array(found.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < found.length) {
      const i = next++;
      const { uri, field, location } = found[i]!;
      const stats = createDataStats();
      const sampleCount = await countShardSamples(uri, stats);
      if (stats.unreadableShards > 0 && (isRemoteShard(uri) || uri.startsWith('s3://')))
        errors.push({ path: field, message: new LocationUnavailableError(location, '').message });
      else if (stats.unreadableShards > 0)
        errors.push({
          path: field,
          message: `shard ${uri} cannot be read: ${stats.examples[0] ?? 'unreadable'}`,
        });
      else if (sampleCount === 0)
        errors.push({ path: field, message: `shard ${uri} holds no usable image-caption samples` });
      counted[i] = { uri, sampleCount };
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, found.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (errors.length) throw unreadable(errors);
  return counted;
}

function unreadable(errors: FieldError[]) {
  const detail = errors.map((e) => e.message).join('; ');
  return unprocessable('unreadable-shard', `nothing was stored: ${detail}`, errors);
}
