// Blob keys as the API accepts them: `seg/seg/…` of safe segments, else a 400 naming the key.
import { isSafeKey } from '@curio/blob-store';
import { badRequest } from '../http/problem.js';

/** Throws a 400 naming the key unless it is `seg/seg/…` of safe segments (no `..`, no `/` at the ends). */
export function checkKey(key: string, what = 'blob key'): string {
  if (!isSafeKey(key))
    throw badRequest(
      'invalid-blob-key',
      `${what} "${key}" is not allowed: use relative paths of letters, digits, ".", "_", "-" (no "..", no leading "/")`,
      [{ path: 'key', message: 'not a safe relative key' }],
    );
  return key;
}
