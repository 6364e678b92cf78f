// Access to @curio/native-kernels' fused kernels (layer norm, sigmoid-GELU, AdamW, attention
// helpers). They exist only while the active backend is wasm with the native kernels installed;
// every caller keeps its composed-op path for all other backends (plain wasm, cpu, GPUs).
import * as tf from '@tensorflow/tfjs';
import { getFusedOps, type FusedOps } from '@curio/native-kernels';

let disabled = false;

/** Force the composed-op path even where fused kernels exist (tests compare the two). */
export function setFusedOpsEnabled(enabled: boolean): void {
  disabled = !enabled;
}

/** The fused ops, or undefined when the composed ops must be used. */
export function fusedOps(): FusedOps | undefined {
  return disabled ? undefined : getFusedOps(tf);
}

/**
 * Whether reductions over the outer axis are fast (the native Sum reduces any contiguous
 * block of axes in one pass). Stock tfjs transposes first, so elsewhere colSum uses a matmul.
 */
export function nativeReductions(): boolean {
  return fusedOps() !== undefined;
}
