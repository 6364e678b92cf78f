// The API's store for worker uploads: `<root>/<runId>/<key>` on the local disk. Keys are relative
// paths of plain segments; anything that could leave the run's folder is refused.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import { ApiError, badRequest } from '../http/problem.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
const RUN_ID = /^[a-z]+_[0-9a-z]{26}$/;

/** Throws a 400 naming the key unless it is `seg/seg/…` of safe segments (no `..`, no `/` at the ends). */
export function checkKey(key: string, what = 'blob key'): string {
  const segments = key.split('/');
  if (key.length > 1024 || segments.some((s) => !SEGMENT.test(s)))
    throw badRequest(
      'invalid-blob-key',
      `${what} "${key}" is not allowed: use relative paths of letters, digits, ".", "_", "-" (no "..", no leading "/")`,
      [{ path: 'key', message: 'not a safe relative key' }],
    );
  return key;
}

/** A 409 when `error` says the key collides with a blob or a folder of blobs already there. */
function collision(error: unknown, key: string): ApiError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') return undefined;
  return new ApiError(
    409,
    'blob-key-conflict',
    `blob key "${key}" collides with an existing blob: a blob cannot also be a folder of blobs, nor the other way round`,
    [{ path: 'key', message: 'collides with an existing blob or folder of blobs' }],
  );
}

export class BlobStore {
  constructor(readonly root: string) {}

  private runDir(runId: string): string {
    if (!RUN_ID.test(runId)) throw badRequest('invalid-run-id', `run id ${runId} is not valid`);
    return join(this.root, runId);
  }

  /** The file for a key, checked to lie inside the run's folder. */
  path(runId: string, key: string): string {
    const dir = this.runDir(runId);
    const file = resolve(dir, checkKey(key));
    if (!file.startsWith(dir + sep))
      throw badRequest('invalid-blob-key', `blob key "${key}" leaves the run's folder`);
    return file;
  }

  uri(runId: string, key: string): string {
    return pathToFileURL(this.path(runId, key)).href;
  }

  /** The key of a blob URI this store made for `runId` (e.g. a checkpoint's), or undefined. */
  keyOfUri(runId: string, uri: string): string | undefined {
    const marker = `/${runId}/`;
    const at = uri.indexOf(marker);
    return at === -1 ? undefined : decodeURIComponent(uri.slice(at + marker.length));
  }

  /** Stream `body` to the key (written aside, then renamed into place); refuses more than `maxBytes`. */
  async put(
    runId: string,
    key: string,
    body: ReadableStream<Uint8Array> | null,
    maxBytes: number,
  ): Promise<number> {
    const file = this.path(runId, key);
    await mkdir(dirname(file), { recursive: true }).catch((error: unknown) => {
      throw collision(error, key) ?? error;
    });
    const partial = `${file}.${process.pid}.${Date.now()}.partial`;
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes)
          done(
            new ApiError(413, 'payload-too-large', `blob ${key} is larger than ${maxBytes} bytes`),
          );
        else done(null, chunk);
      },
    });
    const source = body
      ? Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>)
      : Readable.from([]);
    try {
      await pipeline(source, limit, createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw collision(error, key) ?? error;
    }
    return size;
  }

  /** A stream of the blob and its size, or undefined when there is none. */
  async get(
    runId: string,
    key: string,
  ): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | undefined> {
    const file = this.path(runId, key);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return {
      stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      size: info.size,
    };
  }

  /** Whether a blob, or a folder of blobs, exists at the key. */
  async exists(runId: string, key: string): Promise<boolean> {
    return stat(this.path(runId, key)).then(
      () => true,
      () => false,
    );
  }

  /** Delete the blob, or the folder of blobs, at the key (nothing there is not an error). */
  async remove(runId: string, key: string): Promise<void> {
    await rm(this.path(runId, key), { recursive: true, force: true });
  }

  /** Keys under a prefix ('' for all), sorted; unfinished uploads are left out. */
  async list(runId: string, prefix: string): Promise<string[]> {
    const dir = this.runDir(runId);
    const out: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.endsWith('.partial'))
          out.push(relative(dir, full).split(sep).join('/'));
      }
    };
    await walk(dir);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }
}
