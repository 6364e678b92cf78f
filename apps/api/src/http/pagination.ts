// Cursor pagination: every list answers `{ items, nextCursor }` and takes `?limit=&cursor=`.
// A cursor is the opaque (base64url) sort key of the last item of the previous page.
import { INT4_MAX, unstorableText, type Page } from '@curio/contracts';
import { badRequest } from './problem.js';

export function encodeCursor(key: string | number): string {
  return Buffer.from(`c1:${key}`, 'utf8').toString('base64url');
}

/** The key inside a cursor; a malformed cursor is a 400 naming the parameter. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('c1:') || text.length < 4 || unstorableText(text) !== undefined)
    throw badRequest('invalid-cursor', `cursor ${cursor} is not a cursor this API gave out`, [
      { path: 'cursor', message: 'not a valid cursor' },
    ]);
  return text.slice(3);
}

/** A numeric cursor key (sequence numbers, row ids) in [0, max]: int4 columns unless told. */
export function decodeNumericCursor(
  cursor: string | undefined,
  max: number = INT4_MAX,
): number | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const n = Number(key);
  if (!/^\d+$/.test(key) || !Number.isSafeInteger(n) || n > max)
    throw badRequest('invalid-cursor', `cursor ${cursor} is not a cursor this API gave out`, [
      { path: 'cursor', message: 'not a valid cursor' },
    ]);
  return n;
}

/**
 * A page from `rows` fetched with `limit + 1`: the extra row only says that more follow.
 * `keyOf` gives the sort key the next page continues after.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => string | number,
  present: (row: R) => T,
): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(present),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
