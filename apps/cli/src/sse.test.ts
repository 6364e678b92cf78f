import { describe, expect, test } from 'vitest';
import { readSse, type SseMessage } from './sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

async function all(chunks: string[]): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of readSse(streamOf(chunks))) out.push(m);
  return out;
}

describe('readSse', () => {
  test('events with names, ids and multi-line data, split anywhere across chunks', async () => {
    const text =
      'event: run\ndata: {"a":1}\nid: 1\n\n: keep-alive\n\nevent: metrics\ndata: line one\ndata: line two\nid: 2\n\ndata: plain\n\n';
    const expected = [
      { event: 'run', data: '{"a":1}', id: '1' },
      { event: 'metrics', data: 'line one\nline two', id: '2' },
      { event: 'message', data: 'plain', id: '2' },
    ];
    expect(await all([text])).toEqual(expected);
    for (const at of [1, 7, 12, 30, text.length - 1])
      expect(await all([text.slice(0, at), text.slice(at)])).toEqual(expected);
    expect(await all([...text])).toEqual(expected);
  });

  test('CRLF line ends, a field without a space, an unfinished event is dropped', async () => {
    expect(await all(['event:end\r\ndata:{}\r\n\r\nevent: run\r\ndata: x'])).toEqual([
      { event: 'end', data: '{}', id: undefined },
    ]);
  });
});
