// `curio`: the command line of the Curio API. Wires the commands (one file each in commands/);
// any failure is printed as one line and becomes the exit code.
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { checkpointsCommand } from './commands/checkpoints.js';
import { demoCommand } from './commands/demo.js';
import { evalsetsCommand } from './commands/evalsets.js';
import { experimentsCommand } from './commands/experiments.js';
import { keysCommand } from './commands/keys.js';
import { metadataCommand } from './commands/metadata.js';
import { poolsCommand } from './commands/pools.js';
import { runsCommand } from './commands/runs.js';
import { schedulesCommand } from './commands/schedules.js';
import { serveCommand } from './commands/serve.js';
import type { Io } from './context.js';
import { CliError, EXIT } from './errors.js';

export function buildProgram(io: Io): Command {
  const program = new Command('curio')
    .description('Curio: curate web data for your task while training CLIP models on it')
    .option(
      '--api <url>',
      'the Curio API (default CURIO_API_URL, else the one `curio serve` saved)',
    )
    .option('--key <key>', 'a team API key (default CURIO_API_KEY, else the saved one)')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out.log(s.replace(/\n$/, '')),
      writeErr: (s) => io.out.note(s.replace(/\n$/, '')),
    })
    .exitOverride();
  serveCommand(program, io);
  demoCommand(program, io);
  poolsCommand(program, io);
  metadataCommand(program, io);
  evalsetsCommand(program, io);
  experimentsCommand(program, io);
  runsCommand(program, io);
  schedulesCommand(program, io);
  checkpointsCommand(program, io);
  keysCommand(program, io);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Run the CLI on `argv` (without node and the script); resolves with the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.usage;
    if (error instanceof CliError) {
      io.out.note(`${pc.red('curio:')} ${error.message}`);
      return error.exitCode;
    }
    io.out.note(`${pc.red('curio:')} ${(error as Error).stack ?? String(error)}`);
    return EXIT.failed;
  } finally {
    process.exitCode = undefined;
  }
}
