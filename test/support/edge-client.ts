// A small JSON client for an API by URL (or an app's `fetch`, in process), and polling.

export interface CallOptions {
  key?: string;
  json?: unknown;
}

interface Fetches {
  fetch(request: Request): Response | Promise<Response>;
}

export function edgeClient(baseUrl: string, app?: Fetches) {
  const call = (method: string, path: string, o: CallOptions = {}) => {
    const headers: Record<string, string> = {};
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    if (o.json !== undefined) headers['content-type'] = 'application/json';
    const request = new Request(new URL(path, baseUrl), {
      method,
      headers,
      ...(o.json !== undefined && { body: JSON.stringify(o.json) }),
    });
    return Promise.resolve(app ? app.fetch(request) : fetch(request));
  };
  return {
    call,
    /** The JSON answer of a call that must answer `status`. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async json(method: string, path: string, status: number, o: CallOptions = {}): Promise<any> {
      const res = await call(method, path, o);
      const text = await res.text();
      if (res.status !== status)
        throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}

/** Poll `check` every 500 ms until it gives a value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
