// Builds the dashboard into dist/ (served by the API process); `npm run dev` proxies /v1 to an API.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { webEnv } from './env.js';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true },
  server: { proxy: { '/v1': { target: webEnv.apiUrl } } },
});
