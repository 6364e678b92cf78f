// Axis tick labels with as many decimals as the tick spacing needs (uPlot's default shows
// 0.001 three times for a learning-rate axis), in exponent form for very small or large values.

/** Decimals needed to write `x` exactly (at most 8). */
function decimalsOf(x: number): number {
  for (let d = 0; d < 8; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, Math.abs(scaled))) return d;
  }
  return 8;
}

export function tickLabels(splits: readonly number[], increment: number): string[] {
  const largest = Math.max(...splits.map(Math.abs));
  if (largest !== 0 && (largest < 1e-3 || largest >= 1e7)) {
    const digits = decimalsOf(increment / 10 ** Math.floor(Math.log10(largest)));
    return splits.map((v) => (v === 0 ? '0' : v.toExponential(digits)));
  }
  const decimals = increment > 0 ? decimalsOf(increment) : 0;
  return splits.map((v) => v.toFixed(decimals));
}
