export { AdamW } from './adamw.js';
export type { AdamWOptions, OptimizerState, StepResult } from './adamw.js';
export { lrAt } from './schedule.js';
export type { LrSchedule } from './schedule.js';
