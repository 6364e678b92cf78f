// The filesystem blob store, the API's default (Node-only): blob `<key>` is the file
// `<root>/<key>` (`<root>/<runId>/<key>` for a run's uploads). Keys are relative paths of plain
// segments; anything that could leave the root is refused. The S3 store is in @curio/blob-store.
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import {
  BlobTooLargeError,
  isSafeKey,
  type BlobInfo,
  type BlobStore,
  type StoredBlob,
} from '@curio/blob-store';
import {
  createReadStream,
  createWriteStream,
  mkdir,
  readdir,
  rename,
  rm,
  stat,
} from '@curio/webdataset/local-files';
import { ApiError, badRequest } from '../http/problem.js';
import { checkKey } from './blob-keys.js';

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

export class FilesystemBlobStore implements BlobStore {
  readonly kind = 'filesystem';
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file for a key, checked to lie inside the root. */
  path(key: string): string {
    const file = resolve(this.root, checkKey(key));
    if (!file.startsWith(this.root + sep))
      throw badRequest('invalid-blob-key', `blob key "${key}" leaves the blob store`);
    return file;
  }

  uri(key: string): string {
    return pathToFileURL(this.path(key)).href;
  }

  /** Stream `body` to the key (written aside, then renamed into place); refuses more than `maxBytes`. */
  async put(
    key: string,
    body: ReadableStream<Uint8Array> | null,
    maxBytes: number,
  ): Promise<number> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true }).catch((error: unknown) => {
      throw collision(error, key) ?? error;
    });
    const partial = `${file}.${process.pid}.${Date.now()}.partial`;
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) done(new BlobTooLargeError(key, maxBytes));
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

  async get(key: string): Promise<StoredBlob | undefined> {
    const file = this.path(key);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return {
      stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      size: info.size,
    };
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { recursive: true, force: true });
  }

  /** Blobs under a prefix, sorted; unfinished uploads are left out. */
  async list(prefix: string): Promise<BlobInfo[]> {
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const out: BlobInfo[] = [];
    const walk = async (folder: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.endsWith('.partial')) {
          const key = relative(this.root, full).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const info = await stat(full).catch(() => undefined);
          if (info) out.push({ key, size: info.size, modifiedAt: info.mtime });
        }
      }
    };
    if (base !== '' && !isSafeKey(base)) return []; // no blob's key starts so
    await walk(base ? this.path(base) : this.root);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
