// A dispatcher with no room: runs stay queued (CURIO_DISPATCHER=none), e.g. an API that only
// serves reads while another process runs the workers, or a contract test.
import type { DispatchHandle, Dispatcher } from '@curio/dispatch';

export class IdleDispatcher implements Dispatcher {
  readonly kind = 'local' as const;
  readonly capacity = 0;
  active(): number {
    return 0;
  }
  async dispatch(): Promise<DispatchHandle> {
    throw new Error('this API runs no workers (CURIO_DISPATCHER=none)');
  }
  async terminate(): Promise<void> {}
  async close(): Promise<void> {}
}
