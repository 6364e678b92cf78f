// A team's own shard uploads: `<blob root>/uploads/<teamId>/<name>.tar`, streamed to disk under a
// size limit, written aside and renamed into place, never overwritten (pools may use them). The
// team names the answered location in a pool; the grant rule lets only this team read it.
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Upload } from '@curio/contracts';
import { isTarHeader } from '@curio/webdataset';
import {
  createWriteStream,
  link,
  mkdir,
  open,
  readdir,
  rm,
  stat,
} from '@curio/webdataset/local-files';
import { ApiError, conflict, unprocessable } from '../http/problem.js';

const TEAM_ID = /^team_[0-9a-z]{26}$/;

export function teamUploadDir(blobRoot: string, teamId: string): string {
  if (!TEAM_ID.test(teamId)) throw new Error(`not a team id: ${teamId}`);
  return join(blobRoot, 'uploads', teamId);
}

/** The file of the team's upload `name` (which may not exist yet). */
export function teamUploadFile(blobRoot: string, teamId: string, name: string): string {
  return join(teamUploadDir(blobRoot, teamId), name);
}

async function describe(dir: string, name: string): Promise<Upload | undefined> {
  const file = join(dir, name);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return { name, location: file, bytes: info.size, uploadedAt: info.mtime.toISOString() };
}

/** True when the file starts with a valid tar header. */
async function startsAsTar(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const block = Buffer.alloc(512);
    const { bytesRead } = await handle.read(block, 0, 512, 0);
    return bytesRead === 512 && isTarHeader(block);
  } finally {
    await handle.close();
  }
}

/** Store `body` as the team's upload `name`: 409 if it exists, 413 past `maxBytes`, 422 if no tar. */
export async function putUpload(
  blobRoot: string,
  teamId: string,
  name: string,
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Upload> {
  const dir = teamUploadDir(blobRoot, teamId);
  const file = join(dir, name);
  if (await describe(dir, name))
    throw conflict('already-exists', `an upload named ${name} exists already (uploads are kept)`);
  await mkdir(dir, { recursive: true });
  const partial = join(dir, `.${name}.${process.pid}.${Date.now()}.partial`);
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes)
        done(new ApiError(413, 'payload-too-large', `${name} is larger than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  const source = body
    ? Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>)
    : Readable.from([]);
  try {
    await pipeline(source, limit, createWriteStream(partial, { flags: 'wx' }));
    if (!(await startsAsTar(partial)))
      throw unprocessable('not-a-tar', `nothing was stored: ${name} is not a tar shard`, [
        { path: 'body', message: 'not a tar archive (no valid tar header at its start)' },
      ]);
    // link, not rename: it refuses to replace an upload that landed meanwhile
    await link(partial, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      throw conflict('already-exists', `an upload named ${name} exists already`);
    });
  } finally {
    await rm(partial, { force: true });
  }
  return (await describe(dir, name))!;
}

/** The team's uploads, by name. */
export async function listUploads(blobRoot: string, teamId: string): Promise<Upload[]> {
  const dir = teamUploadDir(blobRoot, teamId);
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.tar') && !n.startsWith('.'))
    .sort();
  const out: Upload[] = [];
  for (const name of names) {
    const upload = await describe(dir, name);
    if (upload) out.push(upload);
  }
  return out;
}
