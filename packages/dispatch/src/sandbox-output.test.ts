import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, pumpLines } from './sandbox-output.js';

function streamOf(chunks: string[], fail?: Error): ReadableStream<string> {
  let next = 0;
  return new ReadableStream<string>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else if (fail) controller.error(fail);
      else controller.close();
    },
  });
}

async function batches(stream: ReadableStream<string>): Promise<string[][]> {
  const out: string[][] = [];
  await pumpLines(stream, (lines) => out.push(lines));
  return out;
}

describe('pumpLines', () => {
  it('gives the whole lines of each chunk, joining lines split across chunks', async () => {
    expect(await batches(streamOf(['step 1\nstep', ' 2\r\nstep 3\n', 'done']))).toEqual([
      ['step 1'],
      ['step 2', 'step 3'],
      ['done'],
    ]);
  });

  it('keeps what was read when the stream fails', async () => {
    expect(await batches(streamOf(['a\nb'], new Error('sandbox gone')))).toEqual([['a'], ['b']]);
  });

  it('cuts long lines and does not hold a runaway line forever', async () => {
    const long = 'x'.repeat(MAX_LINE_CHARS + 10);
    const [[line]] = (await batches(streamOf([`${long}\n`]))) as [[string]];
    expect(line).toBe(`${'x'.repeat(MAX_LINE_CHARS)}… [10 more characters]`);
    const runaway = 'y'.repeat(MAX_LINE_CHARS * 2 + 1);
    const got = await batches(streamOf([runaway, 'tail\n']));
    expect(got[0]![0]).toMatch(/^y{4000}… \[4001 more characters\]$/);
    expect(got[1]).toEqual(['tail']);
  });
});
