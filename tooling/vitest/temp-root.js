// Vitest global setup: one test run writes all its temporary files under one folder of its own,
// removed when the run ends, so a suite that leaves data sets, checkpoints and stores behind
// cannot fill a small CI disk. TMPDIR is set before the test workers start, so os.tmpdir() in the
// tests and in every process they start (API servers, trainers, the CLI) points there.
// CURIO_KEEP_TEST_FILES=1 keeps the folder and prints where it is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'curio-test-'));
  process.env.TMPDIR = root;
  process.env.CURIO_TEST_ROOT = root; // temp-dir-per-file.js makes each file's folder here
  return () => {
    delete process.env.CURIO_TEST_ROOT;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.CURIO_KEEP_TEST_FILES) {
      console.log(`test files kept in ${root}`);
      return;
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
