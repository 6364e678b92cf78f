// What both outbound fetches (Node's pinned one and the edge's) accept of a final answer: a
// 2xx with a body, not declared larger than the cap (the stream is capped as it is read too).

/** The body of `response`; throws why not (the status, or the declared size over `maxBytes`). */
export async function acceptedBody(
  response: Response,
  maxBytes: number,
): Promise<ReadableStream<Uint8Array>> {
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
