// Operation codes of the addon's elementwise and reduce entry points (native/elementwise.h, native/reduce.h).

export const UNARY_OPS = {
  Abs: 0,
  Neg: 1,
  Exp: 2,
  Log: 3,
  Sqrt: 4,
  Rsqrt: 5,
  Square: 6,
  Reciprocal: 7,
  Relu: 8,
  Relu6: 9,
  Sigmoid: 10,
  Tanh: 11,
  Erf: 12,
  Softplus: 13,
  Elu: 14,
  LeakyRelu: 15,
  Step: 16,
  Log1p: 17,
  Expm1: 18,
} as const;

export const BINARY_OPS = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Pow: 4,
  Maximum: 5,
  Minimum: 6,
  SquaredDifference: 7,
} as const;

export const REDUCE_OPS = { Sum: 0, Mean: 1, Max: 2, Min: 3, Prod: 4 } as const;

export type UnaryKernelName = keyof typeof UNARY_OPS;
export type BinaryKernelName = keyof typeof BINARY_OPS;
export type ReduceKernelName = keyof typeof REDUCE_OPS;
