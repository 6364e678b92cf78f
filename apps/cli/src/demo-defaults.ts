// The demo's defaults, apart from the demo's data code so that the CLI loads them cheaply.
/**
 * The demo's defaults: 100k pairs with 10% on target hold about 10k on-target pairs, enough for
 * the kept set not to be memorised; on a 2-core machine the run reaches 90% zero-shot top-1 within
 * the 8-minute budget. (On the earlier 20k pool the ~860 kept pairs repeated until they overfit.)
 */
export const DEMO_DEFAULTS = { poolSize: 100_000, onTarget: 0.1, minutes: 8, seed: 0 } as const;
