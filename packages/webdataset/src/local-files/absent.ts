// The local filesystem where there is none (the edge: Cloudflare Workers): the names of `node.ts`,
// each answering as an empty disk would — ENOENT naming the path — so every local location is a
// missing one (the same clear 4xx a missing file gets on Node) and nothing Node-only is imported.
// Blobs live in object storage there; the API is never given a filesystem blob store.
import type * as local from './node.js';

/** The error Node gives for a missing path, with the reason there is no disk. */
export function noFilesystem(path: unknown): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `ENOENT: no local filesystem in this runtime (the edge), '${String(path)}'`,
  );
  error.code = 'ENOENT';
  error.path = String(path);
  return error;
}

const missing = async (path: unknown): Promise<never> => {
  throw noFilesystem(path);
};
const missingNow = (path: unknown): never => {
  throw noFilesystem(path);
};

export const stat = missing as unknown as typeof local.stat;
export const readdir = missing as unknown as typeof local.readdir;
export const readFile = missing as unknown as typeof local.readFile;
export const realpath = missing as unknown as typeof local.realpath;
export const mkdir = missing as unknown as typeof local.mkdir;
export const rename = missing as unknown as typeof local.rename;
export const rm = missing as unknown as typeof local.rm;
export const link = missing as unknown as typeof local.link;
export const open = missing as unknown as typeof local.open;
export const createReadStream = missingNow as unknown as typeof local.createReadStream;
export const createWriteStream = missingNow as unknown as typeof local.createWriteStream;
export const glob = (async () => []) as unknown as typeof local.glob;
export const isDynamicPattern: typeof local.isDynamicPattern = (pattern) =>
  /[*?[\]{}()!]/.test(pattern);
