// Modal's GPU types as Curio device kinds, with what the worker image's TensorFlow can run on
// each. tfjs-node-gpu 4.22 loads libtensorflow 2.9.1, built for CUDA 11.2 / cuDNN 8.1 with
// TensorFlow's release compute capabilities `sm_35,sm_50,sm_60,sm_70,sm_75,compute_80`: machine
// code (SASS) up to Turing (sm_75) and PTX for Ampere (compute_80), which the driver compiles
// ("JIT") for any newer GPU the first time each kernel runs. See the package README for the
// evidence and what is inferred.

/** How the worker image's TensorFlow kernels run on a GPU. */
export type TfKernels =
  /** SASS for this architecture is in libtensorflow: runs as built. */
  | 'native'
  /** Only PTX (compute_80) fits: the driver JIT-compiles kernels at first use. */
  | 'ptx-jit';

export interface ModalGpu {
  /** Modal's GPU type string (`gpu` of a sandbox). */
  gpu: string;
  /** The GPU's CUDA compute capability. */
  arch: `sm_${number}`;
  tfKernels: TfKernels;
}

/** The highest architecture libtensorflow 2.9's release build carries SASS for. */
const SASS_UP_TO = 75;

function gpu(type: string, arch: number): ModalGpu {
  return { gpu: type, arch: `sm_${arch}`, tfKernels: arch <= SASS_UP_TO ? 'native' : 'ptx-jit' };
}

/** Device kinds (price-table keys) → Modal GPU types. `cpu` takes no GPU. */
export const MODAL_GPU_TABLE: Readonly<Record<string, ModalGpu>> = {
  'nvidia-t4': gpu('T4', 75),
  'nvidia-l4': gpu('L4', 89),
  'nvidia-a10g': gpu('A10G', 86),
  'nvidia-l40s': gpu('L40S', 89),
  'nvidia-a100': gpu('A100', 80),
  'nvidia-a100-40gb': gpu('A100-40GB', 80),
  'nvidia-a100-80gb': gpu('A100-80GB', 80),
  'nvidia-h100': gpu('H100', 90),
  'nvidia-h200': gpu('H200', 90),
  'nvidia-b200': gpu('B200', 100),
};

/**
 * The default device of a Modal deployment: the cheapest GPU Modal rents, and the only one the
 * image's TensorFlow runs natively (no JIT warm-up in every fresh sandbox); 16 GB holds the
 * `base` preset (ViT-B/16 + a 12-layer text tower, fp32 with Adam) at moderate batch sizes.
 */
export const DEFAULT_MODAL_DEVICE = 'nvidia-t4';

/**
 * The driver's JIT cache size for PTX-only GPUs: CUDA 11's default (256 MiB) is smaller than
 * TensorFlow's kernels compiled for one GPU, so kernels would be compiled again and again.
 */
export const JIT_CACHE_BYTES = String(4 * 1024 ** 3);
