// Long synchronous work in a worker gives the event loop a turn between its parts (each batch a
// feed hands out, each chunk of a curation round and of an evaluation), so that the heartbeat's
// timer and its HTTP replies run while it computes: an `await` on a settled promise does not let
// timers run; a turn of the loop does.

/** Resolves after one turn of the event loop (timers and I/O callbacks run first). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
