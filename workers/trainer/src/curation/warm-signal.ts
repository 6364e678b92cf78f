// Whether the text tower is warm: its agreement with the lexical matcher (AUC), smoothed over
// rounds with an exponential moving average, turns warm at the bar and cold only below the bar
// less a hysteresis margin, so that one noisy round neither hands over nor takes back.

export interface WarmSettings {
  /** The smoothed agreement at which the model turns warm. */
  bar: number;
  /** Weight of the newest round in the average (1: the last round alone). */
  smoothing: number;
  /** The model turns cold again only below bar − hysteresis. */
  hysteresis: number;
}

/** What a checkpoint keeps of the signal. */
export interface WarmState {
  warm: boolean;
  /** The smoothed agreement; undefined before any round measured one. */
  smoothed?: number;
}

/** The next state after a round that measured `agreement` (NaN: the round could not tell). */
export function nextWarmState(state: WarmState, agreement: number, s: WarmSettings): WarmState {
  if (!Number.isFinite(agreement)) return state;
  const smoothed =
    state.smoothed === undefined
      ? agreement
      : s.smoothing * agreement + (1 - s.smoothing) * state.smoothed;
  const warm = state.warm ? smoothed >= s.bar - s.hysteresis : smoothed >= s.bar;
  return { warm, smoothed };
}
