// The one seam between the API's dispatch loop and whatever runs trainer processes. A dispatcher
// starts a worker for a run attempt and forgets about it: the worker talks to the API over HTTP
// (assignment, heartbeats, results), so the API learns everything else from the worker itself.

export interface DispatchRequest {
  runId: string;
  attempt: number;
  /** Base URL the worker reaches the API on, e.g. `http://127.0.0.1:8787`. */
  apiUrl: string;
  /** The run-scoped bearer token the worker authenticates with. */
  token: string;
  /** The device kind the run asked for (a price-table key), e.g. `cpu`, `nvidia-h100`. */
  device: string;
  /**
   * The run's training-time limit (its spec's `stop.maxMinutes`, budget included), when it has
   * one: a Modal sandbox lives this long plus a grace, so a stuck worker stops being billed.
   */
  timeLimitSeconds?: number;
}

export interface DispatchHandle {
  workerId: string;
}

export interface Dispatcher {
  readonly kind: 'local' | 'modal';
  readonly capacity: number; // max workers at once
  active(): number; // workers running now
  dispatch(req: DispatchRequest): Promise<DispatchHandle>; // resolves once started; rejects with a reason
  terminate(runId: string): Promise<void>; // best effort stop
  close(): Promise<void>;
}
