// `curio-train`: wires the subcommands into one command line. Nothing here decides how
// training works.
import { plainWasmWarning, selectBackend } from './backend/index.js';
import { classifyCommand } from './classify/command.js';
import { createProgram, withDefaultCommand } from './cli/program.js';
import { embedCommand } from './embed/command.js';
import { readEnv } from './env.js';
import { exportCommand } from './export/command.js';
import { trainCommand } from './loop/command.js';
import { synthCommand } from './synthetic/command.js';
import { workerCommand } from './worker/command.js';

/** The backend for training, embedding, classifying and workers; a missing addon is said first. */
function startBackend(log: (line: string) => void = (m) => console.log(m)) {
  const slow = plainWasmWarning();
  if (slow) log(slow);
  return selectBackend({ forced: readEnv().CURIO_TF_BACKEND, log });
}

const program = createProgram([
  trainCommand(startBackend),
  synthCommand(),
  embedCommand(startBackend),
  classifyCommand(startBackend),
  exportCommand(),
  workerCommand(startBackend),
]);

program.parseAsync(withDefaultCommand(process.argv)).catch((err: unknown) => {
  console.error(`curio-train: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
