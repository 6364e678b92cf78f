// Locates OpenBLAS's cblas.h and libopenblas for the addon build (CURIO_GEMM=builtin: none).
// `node find-openblas.mjs include|lib` prints the include dir or the linker flags, or nothing
// when OpenBLAS is not used (binding.gyp then builds with the built-in GEMM only);
// `node find-openblas.mjs` prints JSON.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INCLUDE_DIRS = [
  '/usr/include/x86_64-linux-gnu/openblas-pthread',
  '/usr/include/aarch64-linux-gnu/openblas-pthread',
  '/usr/include/openblas',
  '/usr/include/x86_64-linux-gnu',
  '/usr/include/aarch64-linux-gnu',
  '/usr/local/include',
  '/opt/homebrew/opt/openblas/include',
  '/usr/include',
];
const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/local/lib',
  '/opt/homebrew/opt/openblas/lib',
  '/usr/lib',
];

/** True when `dir/cblas.h` is OpenBLAS's header (it declares openblas_set_num_threads). */
function isOpenblasHeaderDir(dir) {
  const file = path.join(dir, 'cblas.h');
  return existsSync(file) && readFileSync(file, 'utf8').includes('openblas_set_num_threads');
}

function findLibDir() {
  for (const dir of LIB_DIRS) {
    if (['libopenblas.so', 'libopenblas.dylib'].some((f) => existsSync(path.join(dir, f))))
      return dir;
  }
  try {
    const out = execFileSync('pkg-config', ['--variable=libdir', 'openblas'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    if (out.trim()) return out.trim();
  } catch {
    /* pkg-config absent or no openblas.pc */
  }
  return undefined;
}

/** @returns {{ includeDir: string, libDir: string } | { missing: string }} */
export function findOpenblas() {
  if (process.env.CURIO_GEMM === 'builtin')
    return { missing: 'CURIO_GEMM=builtin: building without OpenBLAS' };
  const includeDir = INCLUDE_DIRS.find(isOpenblasHeaderDir);
  const libDir = findLibDir();
  if (!includeDir && !libDir)
    return {
      missing: 'OpenBLAS not found (no cblas.h, no libopenblas); apt-get install libopenblas-dev',
    };
  if (!includeDir)
    return {
      missing: `OpenBLAS headers not found (libopenblas in ${libDir}); apt-get install libopenblas-dev`,
    };
  if (!libDir)
    return {
      missing: `libopenblas not found (headers in ${includeDir}); apt-get install libopenblas-dev`,
    };
  return { includeDir, libDir };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findOpenblas();
  const what = process.argv[2];
  if ('missing' in found) {
    if (!what) console.log(JSON.stringify(found));
  } else if (what === 'include') {
    console.log(found.includeDir);
  } else if (what === 'lib') {
    console.log(`-L${found.libDir} -lopenblas`);
  } else {
    console.log(JSON.stringify(found));
  }
}
