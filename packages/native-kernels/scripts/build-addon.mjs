// Builds the addon (build/Release/curio_native_kernels.node) with node-gyp: linked with
// OpenBLAS when its headers and library are found, with the built-in GEMM only otherwise.
// Never fails the install: without a toolchain it prints one line saying why the addon was
// not built and exits 0 (Curio then runs on plain wasm and says so at every start).
// Quick and idempotent: skips the build when the addon is newer than its sources and was
// built with the same GEMM choice and -march (build/gemm.json).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { findOpenblas } from './find-openblas.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addon = path.join(root, 'build', 'Release', 'curio_native_kernels.node');
const stamp = path.join(root, 'build', 'gemm.json');
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

function builtWith() {
  try {
    return readFileSync(stamp, 'utf8');
  } catch {
    return undefined;
  }
}

function build() {
  const blas = findOpenblas();
  const gemm = 'missing' in blas ? 'built-in GEMM' : `OpenBLAS from ${blas.libDir}`;
  const march = process.env.CURIO_NATIVE_MARCH || 'native'; // binding.gyp's -march
  const choice = JSON.stringify({ openblas: 'missing' in blas ? null : blas, march });
  if (existsSync(addon) && statSync(addon).mtimeMs >= newestSource() && builtWith() === choice)
    return say(`addon up to date (${path.relative(root, addon)}, ${gemm})`);

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
    writeFileSync(stamp, choice);
    const why = 'missing' in blas ? ` (${blas.missing})` : '';
    return say(`addon built with ${gemm}${why} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n');
  const firstError =
    log.find((l) => /error/i.test(l)) ?? log.at(-1) ?? run.error?.message ?? 'unknown error';
  say(
    `addon not built: node-gyp failed (${firstError.trim().slice(0, 200)}); Curio will run on plain wasm`,
  );
}

build();
