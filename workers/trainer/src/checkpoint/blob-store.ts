// Where checkpoints live. The trainer only ever talks to a BlobStore; the local filesystem is the
// first implementation, object storage and the API's upload endpoint come later.
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface BlobStore {
  /** A URI naming the store's root (e.g. file:///abs/path). */
  readonly uri: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Throws an error naming the key when it does not exist. */
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Delete the blob, or every blob under the folder, at `key` (nothing there is fine). */
  remove(key: string): Promise<void>;
}

export class LocalBlobStore implements BlobStore {
  readonly uri: string;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.uri = `file://${this.root}`;
  }

  private path(key: string): string {
    const p = resolve(this.root, key);
    if (p !== this.root && !p.startsWith(this.root + sep))
      throw new Error(`blob key escapes the store: ${key}`);
    return p;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    // Write then rename, so a crash never leaves a half-written blob under the real key.
    const tmp = `${p}.partial`;
    await writeFile(tmp, bytes);
    await rename(tmp, p);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`blob not found: ${this.uri}/${key}`);
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { recursive: true, force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (!e.name.endsWith('.partial'))
          out.push(relative(this.root, p).split(sep).join('/'));
      }
    };
    await walk(this.root);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }
}
