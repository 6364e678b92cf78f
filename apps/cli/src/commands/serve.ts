// curio serve: the API on the embedded defaults (PGlite under the data folder, local trainer
// workers), with a team and key for this machine saved where the other commands find them, and
// the folders its data may come from granted to that team (the working folder on loopback, and
// each --data-root).
import { plainWasmWarning } from '@curio/native-kernels/plain-wasm-warning';
import type { Command } from 'commander';
import pc from 'picocolors';
import { reachableFetch } from '../client.js';
import { configuredConnection, type GlobalOptions } from '../connection.js';
import { positiveIntOrZero, type Io } from '../context.js';
import { ensureTeamKey } from '../bootstrap.js';
import { dashboardLine } from '../dashboard.js';
import { ensureDashboardBuilt } from '../dashboard-build.js';
import { dataRootsFor, describeRoots, grantDataRoots } from '../data-roots.js';
import { CliError, EXIT } from '../errors.js';

export function serveCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description(
      'serve the API here on the embedded defaults (PGlite in the data folder, local workers)',
    )
    .option(
      '--port <port>',
      'port (default CURIO_API_PORT or 8787; 0 picks a free one)',
      positiveIntOrZero('--port'),
    )
    .option('--host <host>', 'address to listen on (default CURIO_API_HOST or 127.0.0.1)')
    .option(
      '--data-root <dir>',
      'a folder the team may use data from (repeatable; on loopback the working folder is one)',
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    )
    .action(async (opts: { port?: number; host?: string; dataRoot: string[] }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      if (global.api || io.env.CURIO_API_URL) {
        const configured = await configuredConnection(global, io.env);
        throw new CliError(
          `an API is configured (${configured?.url}): \`curio serve\` starts one only when CURIO_API_URL and --api are not set`,
          EXIT.usage,
        );
      }
      await refuseSecondServer(io);
      const slow = plainWasmWarning();
      if (slow) io.out.log(pc.yellow(slow));
      await ensureDashboardBuilt(io.env, (line) => io.out.log(pc.dim(line)));
      const { startEmbedded } = await import('../embedded.js');
      const api = await startEmbedded(io.env, { port: opts.port, host: opts.host });
      const team = await ensureTeamKey(io.env, {
        url: api.url,
        key: global.key ?? io.env.CURIO_API_KEY,
        adminToken: api.adminToken,
        teamName: 'Local team',
        email: 'owner@example.com',
      });
      io.out.log(
        `${pc.green('Curio API')} listening on ${pc.bold(api.url)}  (OpenAPI: ${api.url}/v1/openapi.json)`,
      );
      io.out.log(dashboardLine(api.running.dashboardUrl));
      io.out.log(`store: ${api.dataDir} (PGlite)   workers: local trainer processes`);
      if (team.created) {
        io.out.log(
          `created team ${team.team.name} and an owner key, shown only now: ${pc.bold(team.key)}`,
        );
      } else io.out.log(`team ${team.team.name}, key ${team.keyPrefix}… (reused)`);
      io.out.log(
        `the key and URL are saved in ${team.file}: other \`curio\` commands here use them (or set CURIO_API_URL and CURIO_API_KEY)`,
      );
      const roots = await grantDataRoots(
        { url: api.url, adminToken: api.adminToken, teamId: team.team.id },
        dataRootsFor(api.url, process.cwd(), opts.dataRoot),
      );
      for (const line of describeRoots(roots, team.team.name)) io.out.log(line);
      io.out.log(
        pc.dim(
          'Ctrl-C stops the API (running workers finish their step, checkpoint and report to the next API)',
        ),
      );
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          io.out.note(`\n${signal}: closing the API`);
          void api.close().then(done, done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}

/** Two APIs on one PGlite folder would corrupt it: refuse when the saved URL still answers. */
export async function refuseSecondServer(io: Io): Promise<void> {
  const saved = await configuredConnection({}, io.env);
  if (!saved || saved.source !== 'saved') return;
  try {
    const res = await reachableFetch(saved.url)(`${saved.url}/v1/health`, {
      signal: AbortSignal.timeout(2000),
    });
    if (res.ok)
      throw new CliError(
        `an API already serves ${io.env.CURIO_DATA_DIR} at ${saved.url}: use it (other commands find it), or stop it first`,
        EXIT.usage,
      );
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.usage) throw error;
  }
}
