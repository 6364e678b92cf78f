export * from './schema';
export * from './ids';
export type * from './types';
