// What a team may read, built from its stored grants: its directories and URL prefixes, its own
// upload folder (or prefix, in object storage), the store's folders and prefix (never readable)
// and the fetch limits. The API checks every
// location under it (`withDataAccess` of @curio/webdataset) and hands it to the run's worker.
import { realpath } from '@curio/webdataset/local-files';
import { basename, dirname, join } from 'node:path';
import type { DataAccess } from '@curio/contracts';
import { asc, eq, type Db } from '@curio/db';
import { dataGrants } from '@curio/db/schema';
import type { AppContext } from '../deps.js';
import { teamUploadDir } from './team-uploads.js';

/** The real path of `dir`; for a folder not made yet, its nearest existing parent's plus the rest. */
export async function realOrSame(dir: string): Promise<string> {
  const real = await realpath(dir).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(dir);
  return parent === dir ? dir : join(await realOrSame(parent), basename(dir));
}

export async function teamDataAccess(
  ctx: Pick<AppContext, 'blobRoot' | 'blobStore' | 'storeDirs' | 'fetchLimits'>,
  db: Db,
  teamId: string,
): Promise<DataAccess> {
  const grants = await db
    .select({ kind: dataGrants.kind, location: dataGrants.location })
    .from(dataGrants)
    .where(eq(dataGrants.teamId, teamId))
    .orderBy(asc(dataGrants.id));
  return {
    grants,
    uploadDir: await realOrSame(teamUploadDir(ctx.blobRoot, teamId)),
    protectedDirs: await Promise.all(ctx.storeDirs.map(realOrSame)),
    fetch: ctx.fetchLimits,
    ...(ctx.blobStore.kind === 's3' && {
      uploadPrefix: ctx.blobStore.uri(`uploads/${teamId}/`),
      protectedPrefixes: [ctx.blobStore.uri('')],
    }),
  };
}
