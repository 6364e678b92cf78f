// The `curio` process: read the environment, run the command, exit with its code.
import pc from 'picocolors';
import { readCliEnv, type CliEnv } from './env.js';
import { EXIT } from './errors.js';
import { runCli } from './main.js';
import { console_ } from './output.js';

let env: CliEnv;
try {
  env = readCliEnv();
} catch (error) {
  console_.note(`${pc.red('curio:')} ${(error as Error).message}`);
  process.exit(EXIT.usage);
}
const live = Boolean(process.stderr.isTTY) && !env.CI;
const code = await runCli(process.argv.slice(2), { env, out: console_, live });
// Exit now: an embedded API's store or a kept-alive socket must not hold a finished command open.
process.exit(code);
