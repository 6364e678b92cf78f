// Tiny data on disk for contract tests (the shard and eval-set writers live in @curio/testing).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(prefix = 'curio-api-data-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export { writeEvalSet, writePoolShard } from '@curio/testing';
