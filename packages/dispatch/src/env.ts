// The only reader of this process's environment in @curio/dispatch: what a local worker inherits.
// Workers get the API URL, their run id and a run-scoped token, never the API's own secrets.

/** Variables of the API process that a worker must not see (database and account credentials). */
const WITHHELD =
  /^(DATABASE_URL|CURIO_API_KEY|CURIO_RUN_ID|CURIO_RUN_TOKEN|CURIO_API_URL|MODAL_TOKEN_ID|MODAL_TOKEN_SECRET|PG[A-Z_]*)$/;

/** This process's environment minus the variables a worker must not inherit. */
export function inheritedWorkerEnv(
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && !WITHHELD.test(k)) out[k] = v;
  return out;
}
