// Helpers for data tests (exported as @curio/webdataset/testing): temporary folders, tiny PNGs and tar offsets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { writeTarShard, type TarEntry } from './tar-writer.js';

export async function makeTempDir(
  prefix = 'curio-data-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A width × height PNG; `pixel(x, y)` gives each pixel's RGB (default: a left-to-right ramp). */
export async function tinyPng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number] = (x) => [
    Math.round((255 * x) / Math.max(1, width - 1)),
    40,
    200,
  ],
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A shard of n image-caption samples keyed "s000", "s001", … with captions "caption i". */
export async function writeSampleShard(
  file: string,
  n: number,
  png: Buffer,
  prefix = 's',
): Promise<string[]> {
  const entries: TarEntry[] = [];
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${String(i).padStart(3, '0')}`;
    keys.push(key);
    entries.push({ name: `${key}.png`, data: png }, { name: `${key}.txt`, data: `caption ${i}` });
  }
  await writeTarShard(file, entries);
  return keys;
}

/** Header offsets of a tar's members, by name (walks well-formed headers only). */
export function tarHeaderOffsets(tar: Buffer): Map<string, number> {
  const out = new Map<string, number>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0/g, '').trim(), 8);
    out.set(name, offset);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
