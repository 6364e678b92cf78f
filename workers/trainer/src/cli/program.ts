// The `curio-train` command line: one commander program, one subcommand per job, each defined
// next to the code it runs. `--help` works on the program and every subcommand; an unknown
// option or command is refused with the nearest known one ("Did you mean --out?"). Options a
// command cannot run without are checked after unknown options, so a typo in a required
// option's name gets the suggestion rather than "required option not specified".
import { Command } from 'commander';

/**
 * Starts the tfjs backend (once a subcommand knows it needs one); resolves to its name. It says
 * which backend runs through `log` (default: stdout).
 */
export type StartBackend = (log?: (line: string) => void) => Promise<{ name: string }>;

const DEFAULT_COMMAND = 'train';

export function createProgram(subcommands: readonly Command[]): Command {
  const program = new Command('curio-train')
    .description(
      'Curio trainer: train CLIP-style models with CiT curation; embed, classify and export them',
    )
    .addHelpText(
      'after',
      `
Run \`curio-train <command> --help\` for a command's options. Options without a command go to
\`${DEFAULT_COMMAND}\`: curio-train --spec run.json --out DIR`,
    );
  for (const command of [program, ...subcommands]) {
    command.showSuggestionAfterError(true).showHelpAfterError('(add --help for usage)');
    if (command !== program) program.addCommand(command);
  }
  return program;
}

/** argv with `train` put in front of options given without a command (`--spec …`). */
export function withDefaultCommand(argv: readonly string[]): string[] {
  const [node, script, first, ...rest] = argv;
  const help = first === '-h' || first === '--help';
  if (first === undefined || help || !first.startsWith('-')) return [...argv];
  return [node!, script!, DEFAULT_COMMAND, first, ...rest];
}

/**
 * Mark options as required: checked before the action runs (after commander has refused
 * unknown options), naming the option as commander would.
 */
export function requireOptions(command: Command, ...names: string[]): Command {
  for (const option of command.options)
    if (names.includes(option.attributeName())) option.description += ' (required)';
  return command.hook('preAction', (_, action) => {
    const values = action.opts();
    for (const name of names) {
      const option = action.options.find((o) => o.attributeName() === name);
      if (values[name] === undefined)
        action.error(`error: required option '${option?.flags ?? name}' not specified`);
    }
  });
}
