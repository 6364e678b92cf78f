// A sandbox's stdout or stderr as batches of whole lines: each chunk Modal delivers gives the
// lines it completes; a last unterminated line is given when the stream ends. Long lines are cut
// so one line cannot grow a run's log without bound.

/** Longest line kept, in characters; the rest is replaced by a marker. */
export const MAX_LINE_CHARS = 4000;

function clip(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  return trimmed.length <= MAX_LINE_CHARS
    ? trimmed
    : `${trimmed.slice(0, MAX_LINE_CHARS)}… [${trimmed.length - MAX_LINE_CHARS} more characters]`;
}

/**
 * Reads `stream` to its end, calling `emit` with the whole lines of each chunk. Resolves when the
 * stream ends or fails (the sandbox's output is best effort: a broken stream loses only output).
 */
export async function pumpLines(
  stream: ReadableStream<string>,
  emit: (lines: string[]) => void,
): Promise<void> {
  const reader = stream.getReader();
  let partial = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const parts = (partial + value).split('\n');
      partial = parts.pop() ?? '';
      if (partial.length > MAX_LINE_CHARS * 2) {
        parts.push(partial); // a runaway line without newlines: give what came so far
        partial = '';
      }
      if (parts.length) emit(parts.map(clip));
    }
  } catch {
    // the sandbox went away mid-stream: keep what was read
  } finally {
    reader.releaseLock();
  }
  if (partial !== '') emit([clip(partial)]);
}
