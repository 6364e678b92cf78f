// Eval sets in object storage: a clip_benchmark folder as `s3://bucket/set` (its
// classnames.txt, zeroshot_classification_templates.txt and test/*.tar), or a glob choosing its
// test shards (`s3://bucket/set/test/shard-0?.tar`). The worker holds no bucket credentials: the
// API lists the shards and signs a GET for each part (dataAccess.objectUrls); this reads them.
import { isKeyGlob, keyGlobRegex, parseS3Location } from '@curio/blob-store';
import { currentDataAccess } from './data-access.js';
import { openShardBytes } from './shards.js';

export interface ObjectEvalSetLayout {
  /** The set's folder, `s3://bucket/set` (no trailing slash). */
  dir: string;
  classnames: string;
  templates: string;
  /** What the API lists for the test shards: the `test/` prefix, or the glob as given. */
  testShards: string;
  /** True for an `s3://` object that is one of the set's test shards. */
  isTestShard(uri: string): boolean;
}

const TEST = 'test/';

/** The parts of an `s3://` eval set location; throws naming what is wrong with it. */
export function objectEvalSetLayout(location: string): ObjectEvalSetLayout {
  const object = parseS3Location(location);
  if (!object)
    throw new Error(`eval set location ${location} is not an s3://bucket/prefix location`);
  const { bucket, key } = object;
  let dirKey: string;
  let match: (key: string) => boolean;
  if (isKeyGlob(key)) {
    const at = key.startsWith(TEST) ? 0 : key.lastIndexOf(`/${TEST}`, key.search(/[*?[]/)) + 1;
    if (at === 0 && !key.startsWith(TEST))
      throw new Error(
        `eval set location ${location}: a glob must choose shards in the set's test/ folder (s3://bucket/set/test/*.tar)`,
      );
    dirKey = key.slice(0, Math.max(0, at - 1));
    const glob = keyGlobRegex(key);
    match = (k) => glob.test(k) && k.endsWith('.tar');
  } else {
    dirKey = key.replace(/\/+$/, '');
    const testKey = dirKey ? `${dirKey}/${TEST}` : TEST;
    match = (k) => k.startsWith(testKey) && /^[^/]+\.tar$/.test(k.slice(testKey.length));
  }
  const dir = dirKey ? `s3://${bucket}/${dirKey}` : `s3://${bucket}`;
  return {
    dir,
    classnames: `${dir}/classnames.txt`,
    templates: `${dir}/zeroshot_classification_templates.txt`,
    testShards: isKeyGlob(key) ? location : `${dir}/${TEST}`,
    isTestShard: (uri) => {
      const o = parseS3Location(uri);
      return o !== undefined && o.bucket === bucket && match(o.key);
    },
  };
}

/** The text of one part, through the URL the API signed for it. */
export async function readObjectText(uri: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await openShardBytes(uri)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The set's test shards: those the API signed a URL for, in natural order. */
export function signedTestShards(layout: ObjectEvalSetLayout): string[] {
  const signed = Object.keys(currentDataAccess()?.objectUrls ?? {});
  return signed
    .filter((uri) => layout.isTestShard(uri))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
