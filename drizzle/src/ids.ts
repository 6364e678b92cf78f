// Prefixed, time-sortable ids ("run_01jd9x…"): 10 chars of millisecond time then 16 random chars,
// in lower-case Crockford base32, so ids sort by creation time (cursor pagination can order by id)
// and say what they point at when they turn up in a log.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export const ID_PREFIXES = {
  team: 'team',
  user: 'usr',
  apiKey: 'key',
  pool: 'pool',
  poolShard: 'shard',
  metadataSet: 'meta',
  metadataSetVersion: 'metav',
  evalSet: 'evset',
  experiment: 'exp',
  run: 'run',
  checkpoint: 'ckpt',
  evaluation: 'evr',
  schedule: 'sched',
  dataGrant: 'grant',
  session: 'sess',
  teamInvite: 'inv',
  loginLink: 'llink',
} as const;
export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomPart(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}

/** A new id such as `run_01jd9x4b7c…`; later ids sort after earlier ones (to the millisecond). */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${randomPart(16)}`;
}

/** Whether `id` looks like an id made by `newId(prefix)`. */
export function isId(prefix: IdPrefix, id: string): boolean {
  return new RegExp(`^${prefix}_[${ALPHABET}]{26}$`).test(id);
}
