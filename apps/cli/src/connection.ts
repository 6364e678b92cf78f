// Which API the CLI talks to, and with which key: `--api`/`--key`, else CURIO_API_URL /
// CURIO_API_KEY, else what `curio serve` or `curio demo` saved in `<data dir>/cli.json` (the
// embedded API's address and the team key it bootstrapped; the file is readable by its owner only).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { CliEnv } from './env.js';
import { CliError, EXIT } from './errors.js';

export interface GlobalOptions {
  api?: string | undefined;
  key?: string | undefined;
}

export interface Connection {
  url: string;
  key: string | undefined;
  /** Where the URL came from, for messages. */
  source: 'flag' | 'env' | 'saved';
}

const Saved = z.object({
  url: z.string(),
  key: z.string(),
  keyPrefix: z.string().optional(),
  team: z.object({ id: z.string(), name: z.string() }).optional(),
  savedAt: z.string().optional(),
});
export type SavedCredentials = z.infer<typeof Saved>;

export function credentialsFile(env: CliEnv): string {
  return resolve(join(env.CURIO_DATA_DIR, 'cli.json'));
}

/** The saved credentials, or undefined when there are none (or the file is unreadable). */
export async function readSaved(env: CliEnv): Promise<SavedCredentials | undefined> {
  try {
    const parsed = Saved.safeParse(JSON.parse(await readFile(credentialsFile(env), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSaved(env: CliEnv, saved: SavedCredentials): Promise<string> {
  const file = credentialsFile(env);
  await mkdir(resolve(env.CURIO_DATA_DIR), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify({ ...saved, savedAt: new Date().toISOString() }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  await chmod(file, 0o600);
  return file;
}

export function normalizeUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The configured API, or undefined when neither a flag, the environment nor a saved file names one. */
export async function configuredConnection(
  options: GlobalOptions,
  env: CliEnv,
): Promise<Connection | undefined> {
  const explicitKey = options.key ?? env.CURIO_API_KEY;
  if (options.api) return { url: normalizeUrl(options.api), key: explicitKey, source: 'flag' };
  if (env.CURIO_API_URL)
    return { url: normalizeUrl(env.CURIO_API_URL), key: explicitKey, source: 'env' };
  const saved = await readSaved(env);
  if (saved)
    return { url: normalizeUrl(saved.url), key: explicitKey ?? saved.key, source: 'saved' };
  return undefined;
}

/** The API to use for a command that needs one (with a key), or a clear error saying how to get one. */
export async function requireConnection(options: GlobalOptions, env: CliEnv): Promise<Connection> {
  const conn = await configuredConnection(options, env);
  if (!conn)
    throw new CliError(
      'no Curio API configured: set CURIO_API_URL and CURIO_API_KEY (or pass --api and --key), or start one here with `curio serve`',
      EXIT.usage,
    );
  if (!conn.key)
    throw new CliError(
      `no API key for ${conn.url}: set CURIO_API_KEY or pass --key (an owner makes one with \`curio keys create\`)`,
      EXIT.usage,
    );
  return conn;
}
