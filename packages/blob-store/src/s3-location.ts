// `s3://bucket/key` locations: parsed, and compared by prefix the way grants of kind
// `object-prefix` are. No I/O, so the API's shared code and the trainer can both use it.

export interface S3Location {
  bucket: string;
  /** The key or key prefix, without a leading `/`; '' for the whole bucket. */
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The bucket and key of an `s3://bucket/key` location, or undefined when it is not one. */
export function parseS3Location(location: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(location);
  if (!match || !BUCKET.test(match[1]!)) return undefined;
  const key = match[2] ?? '';
  if (key.split('/').some((s) => s === '..' || s === '.')) return undefined;
  return { bucket: match[1]!, key };
}

/**
 * True when `location` lies under `prefix` (both `s3://` locations): same bucket, and the key
 * is the prefix or continues it after a `/` (so `s3://b/team-a` does not cover `s3://b/team-ab`).
 */
export function s3LocationUnder(location: string, prefix: string): boolean {
  const at = parseS3Location(location);
  const under = parseS3Location(prefix);
  if (!at || !under || at.bucket !== under.bucket) return false;
  const base = under.key.replace(/\/+$/, '');
  return base === '' || at.key === base || at.key.startsWith(`${base}/`);
}

const GLOB = /[*?[]/;

/** True when an object key holds glob characters (`*`, `?`, `[`). */
export function isKeyGlob(key: string): boolean {
  return GLOB.test(key);
}

/** The key up to the first glob character: what to list to find a glob's matches. */
export function keyGlobBase(glob: string): string {
  const at = glob.search(GLOB);
  return at < 0 ? glob : glob.slice(0, at);
}

/** A regular expression for a key glob: `*` and `?` within one segment, `**` across them. */
export function keyGlobRegex(glob: string): RegExp {
  const body = glob
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}
