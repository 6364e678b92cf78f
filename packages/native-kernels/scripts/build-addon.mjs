// Builds the OpenBLAS addon (build/Release/curio_native_kernels.node) with node-gyp.
// Never fails the install: without OpenBLAS or a toolchain it prints one line saying
// why the addon was not built and exits 0 (Curio then runs on plain wasm).
// Quick and idempotent: skips the build when the addon is newer than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { findOpenblas } from './find-openblas.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addon = path.join(root, 'build', 'Release', 'curio_native_kernels.node');
const say = (line) => console.log(`[native-kernels] ${line}`);

function newestSource() {
  const files = [
    path.join(root, 'binding.gyp'),
    ...readdirSync(path.join(root, 'native')).map((f) => path.join(root, 'native', f)),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** Node's own headers (nodedir/include/node), so node-gyp never tries to download them. */
function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function build() {
  const blas = findOpenblas();
  if ('missing' in blas)
    return say(`addon not built: ${blas.missing}; Curio will run on plain wasm`);
  if (existsSync(addon) && statSync(addon).mtimeMs >= newestSource())
    return say(`addon up to date (${path.relative(root, addon)})`);

  let nodeGyp;
  try {
    nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return say('addon not built: node-gyp is not installed; Curio will run on plain wasm');
  }
  const dir = nodeDir();
  const args = [nodeGyp, 'rebuild', '--jobs=2', ...(dir ? [`--nodedir=${dir}`] : [])];
  const started = Date.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  if (run.status === 0 && existsSync(addon)) {
    return say(
      `addon built with OpenBLAS from ${blas.libDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n');
  const firstError =
    log.find((l) => /error/i.test(l)) ?? log.at(-1) ?? run.error?.message ?? 'unknown error';
  say(
    `addon not built: node-gyp failed (${firstError.trim().slice(0, 200)}); Curio will run on plain wasm`,
  );
}

build();
