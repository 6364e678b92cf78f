import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataStats } from './stats.js';
import { isTarHeader, readTarBytes } from './tar-members.js';
import { writeTarShard } from './tar-writer.js';
import { makeTempDir, tarHeaderOffsets } from './test-helpers.js';

async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('readTarBytes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let tar: Buffer;
  const payloads = Array.from({ length: 12 }, (_, i) => randomBytes(300 + 257 * i));
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    const file = path.join(dir, 'multi.tar');
    await writeTarShard(
      file,
      payloads.map((data, i) => ({ name: `m${String(i).padStart(2, '0')}.bin`, data })),
    );
    tar = await readFile(file);
  });
  afterAll(() => cleanup());

  it('recognises tar headers by magic and checksum', () => {
    expect(isTarHeader(tar.subarray(0, 512))).toBe(true);
    expect(isTarHeader(tar.subarray(512, 1024))).toBe(false);
    const tampered = Buffer.from(tar.subarray(0, 512));
    tampered[3] = (tampered[3] as number) ^ 1;
    expect(isTarHeader(tampered)).toBe(false);
  });

  it('resynchronises after two damaged regions, whatever the chunk size', async () => {
    const offsets = tarHeaderOffsets(tar);
    const broken = Buffer.from(tar);
    // Region 1 wipes m03's header; region 2 spans m07's header and the start of its data.
    broken.fill(0xab, offsets.get('m03.bin') as number, (offsets.get('m03.bin') as number) + 512);
    broken.fill(0x5c, offsets.get('m07.bin') as number, (offsets.get('m07.bin') as number) + 900);
    for (const chunk of [97, 512, 4096, broken.length]) {
      const stats = createDataStats();
      const names: string[] = [];
      for await (const m of readTarBytes(inChunks(broken, chunk), 'multi.tar', stats)) {
        names.push(m.name);
        expect(m.data.equals(payloads[Number(m.name.slice(1, 3))] as Buffer)).toBe(true);
      }
      expect(names, `chunk size ${chunk}`).toEqual(
        ['m00', 'm01', 'm02', 'm04', 'm05', 'm06', 'm08', 'm09', 'm10', 'm11'].map(
          (n) => `${n}.bin`,
        ),
      );
      expect(stats).toMatchObject({ corruptShards: 1, corruptMembers: 2 });
    }
  });

  it('stops cleanly when the consumer stops early', async () => {
    const stats = createDataStats();
    for await (const m of readTarBytes(inChunks(tar, 100), 'multi.tar', stats)) {
      expect(m.name).toBe('m00.bin');
      break;
    }
    expect(stats.corruptShards).toBe(0);
  });
});
