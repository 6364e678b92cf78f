// A grant's location as it is stored: a directory as its real path (it must exist, and must not
// lie inside the store's own folders), a URL prefix normalised by the URL parser (http(s), no
// userinfo, query or fragment), an object-storage prefix as `s3://bucket/prefix`.
import { realpath, stat } from '@curio/webdataset/local-files';
import type { DataGrantKind } from '@curio/contracts';
import { insideDir, localPathOf, parseFetchUrl } from '@curio/webdataset';
import { unprocessable } from '../http/problem.js';
import { realOrSame } from './data-access.js';

const S3_PREFIX = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;

function refuse(message: string): never {
  throw unprocessable('invalid-grant', `nothing was stored: ${message}`, [
    { path: 'location', message },
  ]);
}

/** The stored form of a grant's location; a 422 naming what is wrong. */
export async function grantLocation(
  kind: DataGrantKind,
  location: string,
  storeDirs: readonly string[],
): Promise<string> {
  switch (kind) {
    case 'directory': {
      const local = /^file:|^\//i.test(location) ? localPathOf(location) : undefined;
      if (local === undefined) refuse(`${location} is not an absolute path or a file:// URL`);
      const real = await realpath(local).catch(() => refuse(`${location} does not exist`));
      if (!(await stat(real)).isDirectory()) refuse(`${location} is not a directory`);
      const store = await Promise.all(storeDirs.map(realOrSame));
      if (store.some((dir) => insideDir(real, dir)))
        refuse(`${location} lies inside the store's own folders, which no team may read`);
      return real;
    }
    case 'url-prefix': {
      const url = parseFetchUrl(location);
      if (!url) refuse(`${location} is not an http(s) URL without a user name or password`);
      if (url.search !== '' || url.hash !== '') refuse(`${location} has a query or a fragment`);
      return url.href;
    }
    case 'object-prefix':
      if (!S3_PREFIX.test(location)) refuse(`${location} is not an s3://bucket/prefix location`);
      return location;
  }
}
