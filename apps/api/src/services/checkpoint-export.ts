// A checkpoint exported for PyTorch / open_clip (model.safetensors, open_clip_config.json,
// tokenizer.json) by the trainer's own `curio-train export`, run as a child process on a copy of
// the checkpoint's files in a temporary folder. The export is kept in the run's blob space beside
// the checkpoint (`<key>.export/`), so each checkpoint is exported once. A checkpoint the exporter
// refuses (e.g. an architecture open_clip cannot load) is a 422 with the trainer's reason, with the
// server's temporary paths left out.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { trainerBinPath } from '@curio/dispatch';
import { unprocessable } from '../http/problem.js';
import type { RunBlobs } from './run-blobs.js';

/** What `curio-train export` writes. */
export const EXPORT_FILES = ['model.safetensors', 'open_clip_config.json', 'tokenizer.json'];

/** The blob keys of the checkpoint's export (made now if it has none yet). */
export async function checkpointExport(
  blobs: RunBlobs,
  runId: string,
  checkpoint: { id: string; key: string },
): Promise<string[]> {
  const prefix = `${checkpoint.key}.export/`;
  const keys = EXPORT_FILES.map((f) => prefix + f);
  const have = await blobs.list(runId, prefix);
  if (keys.every((k) => have.includes(k))) return keys;
  const dir = await mkdtemp(join(tmpdir(), 'curio-export-'));
  try {
    const source = join(dir, 'checkpoint');
    const out = join(dir, 'export');
    await mkdir(source);
    for (const key of await blobs.list(runId, `${checkpoint.key}/`)) {
      const blob = await blobs.get(runId, key);
      if (!blob) throw new Error(`checkpoint file ${key} disappeared while it was read`);
      await pipeline(
        Readable.fromWeb(blob.stream as unknown as WebReadableStream),
        createWriteStream(join(source, key.slice(checkpoint.key.length + 1))),
      );
    }
    const { code, output } = await runExporter(['--checkpoint', source, '--out', out]);
    if (code !== 0) {
      const reason = lastLine(output)
        .replaceAll(`file://${source}`, source)
        .replaceAll(`checkpoint ${source}: `, '')
        .replaceAll(source, `checkpoint ${checkpoint.id}`);
      throw unprocessable(
        'not-exportable',
        `checkpoint ${checkpoint.id} cannot be exported: ${reason}`,
      );
    }
    for (const [i, file] of EXPORT_FILES.entries()) {
      const path = join(out, file);
      const body = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
      await blobs.put(runId, keys[i]!, body, (await stat(path)).size);
    }
    return keys;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The exporter's last line (`curio-train: <why>` when it fails), without its name. */
function lastLine(output: string): string {
  const line =
    output
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? 'it failed';
  return line.replace(/^curio-train:\s*(error:\s*)?/i, '').slice(0, 500);
}

function runExporter(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [trainerBinPath(), 'export', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}
