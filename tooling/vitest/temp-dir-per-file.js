// Vitest setup file: each test file writes its temporary files under a folder of its own inside
// the run's (temp-root.js), removed when the file's tests end, so the disk a suite needs at once
// is what its largest file writes, not the sum of them all. CURIO_KEEP_TEST_FILES=1 keeps it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// In the run's folder, not in os.tmpdir(): where files share one process (`isolate: false`),
// that is still the previous file's folder.
const dir = mkdtempSync(join(process.env.CURIO_TEST_ROOT ?? tmpdir(), 'file-'));
process.env.TMPDIR = dir;

afterAll(() => {
  if (!process.env.CURIO_KEEP_TEST_FILES)
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});
