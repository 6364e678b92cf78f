// Learning rate by step: linear warmup to the base rate, then cosine decay (open_clip's
// cosine_lr: warmup lr·(step+1)/warmup, then ½(1 + cos(π·e/es))·lr down to `minLr`).

export interface LrSchedule {
  baseLr: number;
  warmupSteps: number;
  /** Step at which the cosine reaches `minLr` (the run's planned length). */
  totalSteps: number;
  minLr?: number;
}

/** The rate for (0-based) `step`. Past `totalSteps` it stays at `minLr`. */
export function lrAt(step: number, s: LrSchedule): number {
  const minLr = s.minLr ?? 0;
  if (step < s.warmupSteps) return (s.baseLr * (step + 1)) / s.warmupSteps;
  const span = s.totalSteps - s.warmupSteps;
  if (span <= 0) return s.baseLr;
  const progress = Math.min((step - s.warmupSteps) / span, 1);
  return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (s.baseLr - minLr);
}
