// What both outbound fetches (Node's pinned one and the edge's) accept of a final answer: a
// 2xx with a body, not declared larger than the cap (the stream is capped as it is read too).

/** The part of a fetch answer read here (the platform's, or undici's on Node). */
interface FetchAnswer<Body extends { cancel(): Promise<void> }> {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  body: Body | null;
}

/** The body of `response`; throws why not (the status, or the declared size over `maxBytes`). */
export async function acceptedBody<Body extends { cancel(): Promise<void> }>(
  response: FetchAnswer<Body>,
  maxBytes: number,
): Promise<Body> {
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new Error(`${declared} bytes, over the ${maxBytes}-byte cap`);
  }
  return response.body;
}
