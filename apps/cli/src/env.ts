// The CLI's environment, read once and checked. Nothing else in apps/cli reads process.env; the
// embedded API (serve, demo) gets its own environment through `embeddedApiSource`.
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const Env = z.object({
  /** The API to talk to, e.g. http://127.0.0.1:8787; absent: `serve`/`demo` start one here. */
  CURIO_API_URL: optionalString.pipe(
    z.url('CURIO_API_URL must be a URL like http://127.0.0.1:8787').optional(),
  ),
  /** A team API key (`curio_…`). */
  CURIO_API_KEY: optionalString,
  /** Where the embedded API keeps its store, and where the CLI keeps its credentials and demo data. */
  CURIO_DATA_DIR: z.string().min(1).default('.curio'),
  /**
   * A built dashboard for the embedded API to serve (its env.ts reads it too); when set, `serve`
   * and `demo` build none from apps/web.
   */
  CURIO_WEB_DIST: optionalString,
  /** Set by CI systems: no live progress bar, plain lines instead. */
  CI: optionalString,
});
export type CliEnv = z.infer<typeof Env>;

/** The environment checked; throws an error naming every bad variable. */
export function readCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The variables the embedded API reads (its own env.ts checks them): `defaults` under the
 * environment, `overrides` over it. `serve` and `demo` pass a fresh admin token as a default and
 * the data folder, host and port as overrides.
 */
export function embeddedApiSource(
  defaults: Record<string, string>,
  overrides: Record<string, string>,
): Record<string, string | undefined> {
  return { ...defaults, ...process.env, ...overrides };
}
