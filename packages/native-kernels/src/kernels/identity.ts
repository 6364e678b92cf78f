// Identity without a copy: tensors are immutable, so the output shares the input's
// memory (as Reshape does and as the cpu backend's Identity does). Pure JS.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import { withStockFallback } from './with-fallback.js';

export function sharedIdentity(original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('Identity', original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' || typeof (backend as { incRef?: unknown }).incRef !== 'function')
      return undefined;
    (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
