// The objects an `s3://` eval set needs signed for whoever reads it (the API checking a new set,
// a run's worker): its class names, its templates and its test shards as listed now, inside the
// team's grants. The reader (@curio/webdataset readEvalSet) finds each part by its URL.
import { parseS3Location } from '@curio/blob-store';
import type { DataAccess } from '@curio/contracts';
import { objectEvalSetLayout } from '@curio/webdataset';
import type { AppContext } from '../deps.js';
import { listGrantedObjects } from './object-shards.js';

/** The set's parts to sign; throws (naming the location) when it is no eval set location. */
export async function evalSetObjects(
  ctx: Pick<AppContext, 'blobStore'>,
  location: string,
  access: DataAccess,
): Promise<string[]> {
  const layout = objectEvalSetLayout(location);
  const shards = await listGrantedObjects(ctx, layout.testShards, access);
  return [layout.classnames, layout.templates, ...shards];
}

/** The parts of every `s3://` eval set among `evalSets` (others need nothing signed). */
export async function runEvalSetObjects(
  ctx: Pick<AppContext, 'blobStore'>,
  evalSets: readonly { path: string }[],
  access: DataAccess,
): Promise<string[]> {
  const out: string[] = [];
  for (const { path } of evalSets)
    if (parseS3Location(path)) out.push(...(await evalSetObjects(ctx, path, access)));
  return out;
}
