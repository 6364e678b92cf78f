// The only reader of this process's environment in @curio/dispatch: what a local worker inherits.
// Workers get the API URL, their run id and a run-scoped token, never the API's own secrets.

/** The store's location and credentials, and the run variables the dispatcher sets itself. */
const WITHHELD_NAMES =
  /^(DATABASE_URL|PG[A-Z_]*|CURIO_API_URL|CURIO_RUN_ID|CURIO_RUN_TOKEN|CURIO_DEVICE)$/;
/** Anything that names itself a secret: CURIO_ADMIN_TOKEN, CURIO_API_KEY, MODAL_TOKEN_SECRET … */
const SECRET_LIKE = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|ACCESS_KEY|PRIVATE_KEY)(_|$)/;

/** This process's environment minus the variables a worker must not inherit. */
export function inheritedWorkerEnv(
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (v !== undefined && !WITHHELD_NAMES.test(k) && !SECRET_LIKE.test(k)) out[k] = v;
  }
  return out;
}
