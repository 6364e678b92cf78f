// Run an async source ahead of its consumer: up to `depth` items are produced while the consumer
// works on the current one (e.g. images decode on sharp's threads while the model trains).

/**
 * Iterate `source` with up to `depth` items fetched ahead. Items keep their order; an error from
 * the source is thrown to the consumer at the point it happened; stopping early (break) closes
 * the source. depth 0 passes the source through unchanged.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  if (!Number.isInteger(depth) || depth < 0)
    throw new Error(`prefetch: depth must be a non-negative integer, got ${depth}`);
  if (depth === 0) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  const buffer: IteratorResult<T>[] = [];
  let failure: { error: unknown } | null = null;
  let finished = false;
  let stopped = false;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const notify = (which: 'consumer' | 'producer'): void => {
    const wake = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = null;
    else wakeProducer = null;
    wake?.();
  };

  const pump = async (): Promise<void> => {
    try {
      while (!stopped) {
        if (buffer.length >= depth) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
          continue;
        }
        const result = await iterator.next();
        if (result.done) break;
        buffer.push(result);
        notify('consumer');
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      notify('consumer');
    }
  };
  const pumping = pump();

  try {
    for (;;) {
      const item = buffer.shift();
      if (item) {
        notify('producer');
        yield item.value;
        continue;
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (finished) return;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    stopped = true;
    notify('producer');
    if (!finished) {
      await pumping;
      await iterator.return?.();
    }
  }
}
