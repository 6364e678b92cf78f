// The edge bundle holds nothing Node-only: `src/edge.ts` bundled as Workers load it imports only
// built-ins workerd's `nodejs_compat` provides (no fs, child_process, net, dns…) and bundles no
// Node-only package (PGlite, undici, @hono/node-server). A module with a Node-only import,
// bundled the same way, is refused by name: the check can fail.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bundleEdge, EDGE_NODE_MODULES, edgeImportProblems } from '../../src/edge-bundle.js';

describe('the edge bundle', () => {
  test('imports only what workerd provides', async () => {
    const bundle = await bundleEdge();
    expect(edgeImportProblems(bundle)).toEqual([]);
    for (const i of bundle.imports)
      expect(i === 'cloudflare:sockets' || EDGE_NODE_MODULES.includes(i.slice(5))).toBe(true);
    // postgres.js took its Workers build, the AWS SDK its fetch build, the fs-less local files.
    expect(bundle.imports).toContain('cloudflare:sockets');
    expect(bundle.inputs.some((f) => f.includes('node_modules/postgres/cf/'))).toBe(true);
    expect(bundle.inputs.some((f) => f.includes('fetch-http-handler'))).toBe(true);
    expect(bundle.inputs.some((f) => f.includes('node-http-handler'))).toBe(false);
    expect(bundle.inputs).toContain('../../packages/webdataset/src/local-files/absent.ts');
    expect(bundle.code).not.toContain('DOMParser'); // the AWS SDK's own XML parser
    expect(bundle.code).not.toMatch(/\bfrom\s*["']node:(fs|child_process|net|dns|os)["']/);
  });

  test('a module importing Node-only code fails the same check, naming what', async () => {
    const nodeOnly = fileURLToPath(new URL('./fixtures/node-only.ts', import.meta.url));
    const problems = edgeImportProblems(await bundleEdge(nodeOnly));
    expect(problems).toContain('imports node:fs, which workerd does not provide');
    expect(problems).toContain('imports node:child_process, which workerd does not provide');
  });
});
