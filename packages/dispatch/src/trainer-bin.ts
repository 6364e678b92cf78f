// Where the trainer's `curio-train` executable lives, found through the workspace's node_modules
// (the trainer's package exports do not expose package.json, so resolve its folder directly).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const PACKAGE = '@curio/trainer';

/** Absolute path of `curio-train`'s JS entry (run it with `node`). */
export function trainerBinPath(from: string = import.meta.url): string {
  const require = createRequire(from);
  for (const dir of require.resolve.paths(PACKAGE) ?? []) {
    const manifest = join(dir, PACKAGE, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
      bin?: string | Record<string, string>;
    };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['curio-train'];
    if (!bin) throw new Error(`${manifest} declares no curio-train bin`);
    return realpathSync(resolve(dirname(manifest), bin)); // the workspace folder, not the node_modules link
  }
  throw new Error(`cannot find ${PACKAGE} from ${from}: is the workspace installed (npm install)?`);
}
