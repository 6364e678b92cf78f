// Reads the members of one tar shard as a stream, surviving damage: tar-stream parses the bytes;
// when it meets a damaged header or the data ends early, the reader counts the problem, scans
// forward from the last good member for the next valid tar header and carries on from there.
// Works the same on local files and HTTP bodies (the bytes not yet parsed are kept for the scan).
import { extract as createExtract, type Extract } from 'tar-stream';
import { openShardBytes, shardLabel } from './shards.js';
import { recordProblem, type DataStats } from './stats.js';

export interface TarMember {
  /** The member's path inside the tar. */
  name: string;
  data: Buffer;
}

const BLOCK = 512;

function roundUpToBlock(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

/** True when a 512-byte block is a ustar/GNU tar header with a correct checksum. */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  const magic = String.fromCharCode(...block.subarray(257, 262));
  if (magic !== 'ustar') return false;
  const stored = parseInt(
    String.fromCharCode(...block.subarray(148, 156))
      .replace(/[\0 ]+/g, ' ')
      .trim(),
    8,
  );
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return sum === stored;
}

/** An async byte source with push-back, so bytes read ahead can be handed out again. */
class PushbackReader {
  private pending: Buffer[] = [];
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  unshift(buf: Buffer): void {
    if (buf.length > 0) this.pending.unshift(buf);
  }

  async next(): Promise<Buffer | null> {
    const queued = this.pending.shift();
    if (queued) return queued;
    const r = await this.source.next();
    if (r.done) return null;
    return Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
  }

  /** Exactly n bytes, or fewer at the end of the source. */
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const chunk = await this.next();
      if (chunk === null) break;
      const take = Math.min(chunk.length, n - have);
      parts.push(chunk.subarray(0, take));
      this.unshift(chunk.subarray(take));
      have += take;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  close(): void {
    void this.source.return?.()?.catch(() => undefined);
  }
}

class SourceReadError extends Error {}

function waitForDrain(extract: Extract): Promise<void> {
  if (extract.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      extract.off('drain', done);
      extract.off('close', done);
      resolve();
    };
    extract.on('drain', done);
    extract.on('close', done);
  });
}

/** What one tar-stream pass over a stretch of the shard ended with. */
interface SegmentEnd {
  error: Error | null;
  /** Absolute offset just past the last member read whole. */
  safeEnd: number;
  /** The bytes read from the source past `safeEnd`, to scan for the next header. */
  unparsed: Buffer;
}

async function* parseSegment(
  reader: PushbackReader,
  segmentStart: number,
  end: { value?: SegmentEnd },
): AsyncGenerator<TarMember> {
  const extract = createExtract();
  const retained: { start: number; buf: Buffer }[] = [];
  let fed = segmentStart;
  let safeEnd = segmentStart;
  let stop = false;
  const feeding = (async () => {
    try {
      while (!stop && !extract.destroyed) {
        const chunk = await reader.next();
        if (chunk === null) {
          extract.end(undefined);
          return;
        }
        retained.push({ start: fed, buf: chunk });
        fed += chunk.length;
        if (!extract.write(chunk)) await waitForDrain(extract);
      }
    } catch (err) {
      extract.destroy(new SourceReadError((err as Error).message));
    }
  })();
  let error: Error | null = null;
  try {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      safeEnd = segmentStart + entry.offset + BLOCK + roundUpToBlock(entry.header.size);
      while (retained.length > 0 && retained[0]!.start + retained[0]!.buf.length <= safeEnd)
        retained.shift();
      if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') {
        yield { name: entry.header.name, data: Buffer.concat(chunks) };
      }
    }
  } catch (err) {
    error = err as Error;
  } finally {
    stop = true;
    extract.destroy();
  }
  await feeding;
  const tail = Buffer.concat(retained.map((r) => r.buf));
  const tailStart = retained[0]?.start ?? fed;
  end.value = { error, safeEnd, unparsed: tail.subarray(Math.max(0, safeEnd - tailStart)) };
}

/**
 * Every regular-file member of a tar shard, in order. Never throws for bad data: an unreadable
 * shard, a damaged region or a truncated end is counted in `stats` and reading goes on with the
 * next readable member (or ends the shard).
 */
export async function* readTarMembers(
  shard: string,
  stats: DataStats,
  signal?: AbortSignal,
): AsyncGenerator<TarMember> {
  stats.shardsOpened += 1;
  let source: AsyncIterable<Uint8Array>;
  try {
    source = await openShardBytes(shard, signal);
  } catch (err) {
    recordProblem(stats, 'unreadableShard', `${shard}: ${(err as Error).message}`);
    return;
  }
  yield* readTarBytes(source, shard, stats);
}

/** The members of a tar given as a stream of byte chunks (see readTarMembers). */
export async function* readTarBytes(
  source: AsyncIterable<Uint8Array>,
  shard: string,
  stats: DataStats,
): AsyncGenerator<TarMember> {
  const label = shardLabel(shard);
  const reader = new PushbackReader(source[Symbol.asyncIterator]());
  let segmentStart = 0;
  let membersRead = 0;
  let damaged = false;
  try {
    for (;;) {
      const end: { value?: SegmentEnd } = {};
      for await (const member of parseSegment(reader, segmentStart, end)) {
        membersRead += 1;
        yield member;
      }
      const result = end.value;
      if (!result || result.error === null) return;
      if (result.error instanceof SourceReadError) {
        const kind = membersRead === 0 && result.safeEnd === 0 ? 'unreadableShard' : 'corruptShard';
        recordProblem(
          stats,
          kind,
          `${shard}: read failed after byte ${result.safeEnd}: ${result.error.message}`,
        );
        return;
      }
      if (!damaged) stats.corruptShards += 1;
      damaged = true;
      recordProblem(
        stats,
        'corruptMember',
        `${label}: damaged or truncated tar data at byte ${result.safeEnd} (${result.error.message})`,
      );
      // Scan forward block by block (past the block that failed) for the next valid header.
      reader.unshift(result.unparsed);
      let offset = result.safeEnd + BLOCK;
      const skipped = await reader.read(BLOCK);
      if (skipped.length < BLOCK) return;
      for (;;) {
        const block = await reader.read(BLOCK);
        if (block.length < BLOCK) return;
        if (isTarHeader(block)) {
          reader.unshift(block);
          break;
        }
        offset += BLOCK;
      }
      segmentStart = offset;
    }
  } finally {
    reader.close();
  }
}
