// The build's environment: only `npm run dev` reads one (CURIO_API_URL: where to proxy /v1).
export const webEnv = { apiUrl: process.env.CURIO_API_URL ?? 'http://127.0.0.1:8787' };
