// `npm start -w @curio/api`: serve the API on Node, configured by the environment (env.ts).
import { readApiEnv } from './env.js';
import { startApi } from './server.js';

const api = await startApi({ env: readApiEnv() });
console.log(`Curio API listening on ${api.url} (OpenAPI: ${api.url}/v1/openapi.json)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.log(`${signal}: closing (workers keep running and report to the next API process)`);
    void api.close().then(() => process.exit(0));
  });
