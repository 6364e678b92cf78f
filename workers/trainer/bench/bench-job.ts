// A bench arm's training job: the spec run to its end in a temporary folder, with the job's
// reports kept in memory (and echoed) so the arm can read its steps, rounds and evaluations.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSpecInput } from '@curio/contracts';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { resolveConfig } from '../src/config.js';
import { runJob } from '../src/loop/job.js';
import { memoryReporter } from '../src/output/memory-reporter.js';

export async function runBenchJob(
  spec: RunSpecInput,
  o: { label: string; backend: string; echo: (line: string) => void },
) {
  const out = await mkdtemp(join(tmpdir(), `curio-bench-${o.label}-`));
  const reporter = memoryReporter({ echo: o.echo });
  const config = await resolveConfig(spec, { outDir: out, baseDir: out });
  const summary = await runJob({
    config,
    store: new LocalBlobStore(out),
    reporter,
    backend: o.backend,
  });
  return { config, summary, recorded: reporter.recorded };
}
