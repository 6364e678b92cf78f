// `curio pools upload`: shard tars (files, or folders of *.tar) sent into the team's upload area.
// `POST /v1/uploads` answers where to PUT each: a presigned URL straight to the bucket (S3
// store), or the API's own `PUT /v1/uploads/{name}` with the key (filesystem store). A progress
// line on a terminal (one line redrawn with \r, the bar of progress.ts); nothing when not one.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { Upload, UploadTarget } from '@curio/contracts';
import { ok, problemOf, reachableFetch } from './client.js';
import type { Api, Io } from './context.js';
import { CliError, EXIT } from './errors.js';
import { count } from './output.js';
import { bar } from './progress.js';

/** The tar files the arguments name: files as they are, folders' `*.tar` sorted by name. */
export async function shardFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) files.push(path);
    else if (info?.isDirectory()) {
      const tars = (await readdir(path)).filter((n) => n.endsWith('.tar')).sort();
      if (tars.length === 0)
        throw new CliError(`pools upload: ${path} holds no .tar file`, EXIT.usage);
      files.push(...tars.map((n) => join(path, n)));
    } else throw new CliError(`pools upload: ${path} is not a file or folder`, EXIT.usage);
  }
  return files;
}

/** The file as a stream, telling `sent` the bytes read so far. */
function counted(file: string, sent: (bytes: number) => void): ReadableStream<Uint8Array> {
  let bytes = 0;
  const stream = createReadStream(file);
  stream.on('data', (chunk) => sent((bytes += chunk.length)));
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}

/** A redrawn "name [███░░] 42%  1,024/2,048 bytes" line on a terminal; nothing elsewhere. */
function progressLine(io: Io, name: string, total: number) {
  let last = 0;
  const draw = (sent: number, force = false) => {
    const now = Date.now();
    if (!io.live || (!force && now - last < 100)) return;
    last = now;
    const f = total === 0 ? 1 : sent / total;
    process.stderr.write(
      `\r${name} ${bar(f, 20)} ${String(Math.round(f * 100)).padStart(3)}%  ${count(sent)}/${count(total)} bytes`,
    );
  };
  return { draw, done: () => io.live && (draw(total, true), process.stderr.write('\n')) };
}

/** Start the upload of `file`, PUT its bytes where the API says, and answer the stored upload. */
export async function uploadShard(api: Api, io: Io, file: string): Promise<Upload> {
  const bytes = (await stat(file)).size;
  const name = basename(file);
  const target: UploadTarget = await ok(
    `pools upload ${name}`,
    api.client.v1.uploads.$post({ json: { name, bytes } }),
  );
  const progress = progressLine(io, name, bytes);
  const headers: Record<string, string> = { ...target.headers, 'content-length': String(bytes) };
  if (target.auth === 'api-key') headers.authorization = `Bearer ${api.conn.key}`;
  const fetcher = target.auth === 'api-key' ? reachableFetch(api.conn.url) : fetch;
  const res = await fetcher(target.url, {
    method: 'PUT',
    headers,
    body: counted(file, progress.draw),
    duplex: 'half',
  } as RequestInit);
  progress.done();
  if (target.auth === 'api-key') {
    if (res.status !== 201) throw await problemOf(res, `pools upload ${name}`);
    return (await res.json()) as Upload;
  }
  if (!res.ok)
    throw new CliError(
      `pools upload ${name}: the object store refused the upload (${res.status}): ${(await res.text()).slice(0, 300)}`,
      EXIT.failed,
    );
  return { name, location: target.location, bytes, uploadedAt: new Date().toISOString() };
}
