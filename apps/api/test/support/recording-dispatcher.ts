// A dispatcher that starts no worker but keeps every request it was handed: a tick's dispatches
// can be counted (which run, which attempt, how many times).
import type { DispatchHandle, DispatchRequest, Dispatcher } from '@curio/dispatch';

export class RecordingDispatcher implements Dispatcher {
  readonly kind = 'local' as const;
  readonly requests: DispatchRequest[] = [];
  constructor(readonly capacity: number) {}
  active(): number {
    return this.requests.length;
  }
  async dispatch(request: DispatchRequest): Promise<DispatchHandle> {
    this.requests.push(request);
    return { workerId: `recorded-${this.requests.length}` };
  }
  async terminate(): Promise<void> {}
  async close(): Promise<void> {}
}
