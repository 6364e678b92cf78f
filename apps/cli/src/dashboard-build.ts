// `serve` and `demo` build the dashboard before they start the API when apps/web/dist is missing
// or older than its sources (the web app's own files and the contracts it imports), so a fresh
// clone serves it after `npm install` alone. The build is the web workspace's `vite build`; when it
// fails, the command stops with its output's end and the command that shows all of it. Nothing is
// built when CURIO_WEB_DIST names a dashboard to serve, or outside a checkout (no web sources).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.js';

/** apps/web in this checkout. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** What the built dashboard is made from, relative to the web folder. */
const SOURCES = [
  'src',
  'index.html',
  'vite.config.ts',
  'package.json',
  '../../packages/contracts/src',
];

/** Files under `path` (itself if a file), skipping tests, with their modification times. */
async function newestFile(path: string): Promise<{ file: string; mtimeMs: number } | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isDirectory()) return { file: path, mtimeMs: info.mtimeMs };
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const entry of await readdir(path)) {
    if (entry.includes('.test.')) continue;
    const found = await newestFile(join(path, entry));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** Why the dashboard in `webDir` must be built ('dist is missing', …), or undefined if it is current. */
export async function dashboardBuildReason(webDir: string): Promise<string | undefined> {
  const built = await stat(join(webDir, 'dist', 'index.html')).catch(() => undefined);
  if (!built) return 'apps/web/dist is missing';
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const source of SOURCES) {
    const found = await newestFile(join(webDir, source));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  if (newest && newest.mtimeMs > built.mtimeMs)
    return `apps/web/dist is older than ${relative(join(webDir, '../..'), newest.file)}`;
  return undefined;
}

/** Build the dashboard when it is missing or stale (see above); `say` tells the user why. */
export async function ensureDashboardBuilt(
  env: { CURIO_WEB_DIST?: string | undefined },
  say: (line: string) => void,
  webDir = WEB_DIR,
): Promise<void> {
  if (env.CURIO_WEB_DIST !== undefined || !existsSync(join(webDir, 'src'))) return;
  const reason = await dashboardBuildReason(webDir);
  if (!reason) return;
  say(`building the dashboard (${reason}) …`);
  let vite: string;
  try {
    const pkg = createRequire(join(webDir, 'package.json')).resolve('vite/package.json');
    vite = join(dirname(pkg), 'bin', 'vite.js');
  } catch {
    throw new CliError(
      'cannot build the dashboard: vite is not installed (run `npm install` at the repository root)',
    );
  }
  const { code, output } = await run(process.execPath, [vite, 'build'], webDir);
  if (code !== 0)
    throw new CliError(
      `building the dashboard failed (vite build exited ${code}); \`npm run build -w @curio/web\` shows it all:\n${output.slice(-2000)}`,
    );
}

function run(command: string, args: string[], cwd: string) {
  return new Promise<{ code: number; output: string }>((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1), output }));
  });
}
