// The edge bundle: `edge.ts` and everything it imports in one ES module, as Cloudflare Workers
// load it — esbuild with the `workerd`/`worker`/`browser` conditions (so the Node-only modules
// are swapped for their edge versions and the AWS SDK takes its fetch build), `node:` built-ins
// left to the runtime's `nodejs_compat`. `edgeImportProblems` lists what the runtime would not
// have; the bundle check (test/edge/bundle.test.ts) asserts there is nothing. Node only (esbuild).
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The built-ins the edge bundle may import: those `nodejs_compat` provides in workerd. */
export const EDGE_NODE_MODULES: readonly string[] = [
  'assert',
  'async_hooks',
  'buffer',
  'crypto',
  'diagnostics_channel',
  'events',
  'path',
  'process',
  'stream',
  'stream/promises',
  'stream/web',
  'string_decoder',
  'url',
  'util',
  'util/types',
];

/** Runtime modules of workerd itself (postgres.js opens its sockets with this one). */
const WORKERD_MODULES = ['cloudflare:sockets'];

export interface EdgeBundle {
  /** The bundled ES module. */
  code: string;
  /** Every module the bundle leaves to the runtime (`node:…`, `cloudflare:…`), sorted. */
  imports: string[];
  /** Every source file that went in (paths relative to the repository root). */
  inputs: string[];
}

export const EDGE_ENTRY = fileURLToPath(new URL('./edge.ts', import.meta.url));

const builtin = new Set(builtinModules);

/**
 * Built-ins stay imports of the runtime, spelled `node:…` (never an npm polyfill of the same
 * name); one a package maps away for the browser (tar-stream's `"fs": false`) is an empty module.
 * A `require()` of one becomes a small module importing it, since an ES module cannot require
 * (what wrangler does too).
 */
const runtimeModules: Plugin = {
  name: 'runtime-modules',
  setup(b) {
    const runtime = (path: string, kind: string) =>
      kind === 'require-call' ? { path, namespace: 'runtime-require' } : { path, external: true };
    b.onResolve({ filter: /^(node:|cloudflare:)/ }, (args) => runtime(args.path, args.kind));
    b.onResolve({ filter: /^[a-z0-9_/]+$/ }, async (args) => {
      if (!builtin.has(args.path) || args.pluginData === 'own') return undefined;
      const own = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'own',
      });
      if (own.errors.length === 0 && own.namespace === '')
        return { path: args.path, namespace: 'mapped-away' };
      return runtime(`node:${args.path}`, args.kind);
    });
    b.onLoad({ filter: /.*/, namespace: 'mapped-away' }, () => ({
      contents: 'module.exports = {};',
    }));
    b.onLoad({ filter: /.*/, namespace: 'runtime-require' }, (args) => ({
      contents: `import runtimeModule from '${args.path}';\nmodule.exports = runtimeModule;`,
      loader: 'js',
    }));
  },
};

/**
 * The AWS SDK parses XML with the DOMParser of browsers, which Workers lack; its own parser (the
 * one Node takes) needs nothing of either.
 */
const awsXmlParser: Plugin = {
  name: 'aws-xml-parser',
  setup(b) {
    b.onResolve({ filter: /^\.\/xml-parser$/ }, (args) =>
      args.importer.includes('@aws-sdk/xml-builder')
        ? { path: join(dirname(args.importer), 'xml-parser.js') }
        : undefined,
    );
  },
};

export async function bundleEdge(entry: string = EDGE_ENTRY): Promise<EdgeBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    plugins: [runtimeModules, awsXmlParser],
    metafile: true,
    logLevel: 'silent',
    outfile: 'edge.js',
  });
  const imports = new Set<string>();
  for (const input of Object.values(result.metafile.inputs))
    for (const i of input.imports) if (i.external) imports.add(i.path);
  return {
    code: result.outputFiles[0]!.text,
    imports: [...imports].sort(),
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** What the edge runtime lacks: each import it does not provide, each Node-only package inside. */
export function edgeImportProblems(bundle: Pick<EdgeBundle, 'imports' | 'inputs'>): string[] {
  const allowed = new Set([...EDGE_NODE_MODULES.map((m) => `node:${m}`), ...WORKERD_MODULES]);
  const problems = bundle.imports
    .filter((i) => !allowed.has(i))
    .map((i) => `imports ${i}, which workerd does not provide`);
  for (const nodeOnly of ['@electric-sql/pglite', 'undici', '@hono/node-server', 'tinyglobby'])
    if (bundle.inputs.some((f) => f.includes(`node_modules/${nodeOnly}/`)))
      problems.push(`bundles ${nodeOnly}, which needs Node`);
  return problems;
}
