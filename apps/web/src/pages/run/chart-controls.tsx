// The controls every set of curves shares: x-axis (step, time, cost), smoothing, log scale.
import { useId } from 'react';
import { X_AXES, type XAxis } from '../../charts/series.js';

export interface ChartSettings {
  axis: XAxis;
  smoothing: number;
  log: boolean;
}

export const DEFAULT_SETTINGS: ChartSettings = { axis: 'step', smoothing: 0.6, log: false };

export function ChartControls(props: {
  value: ChartSettings;
  onChange: (s: ChartSettings) => void;
}) {
  const id = useId();
  const { value, onChange } = props;
  return (
    <div className="chart-controls" role="group" aria-label="Chart settings">
      <label htmlFor={`${id}-axis`}>x-axis</label>
      <select
        id={`${id}-axis`}
        value={value.axis}
        onChange={(e) => onChange({ ...value, axis: e.target.value as XAxis })}
      >
        {X_AXES.map((a) => (
          <option key={a}>{a}</option>
        ))}
      </select>
      <label htmlFor={`${id}-smooth`}>Smoothing {value.smoothing.toFixed(2)}</label>
      <input
        id={`${id}-smooth`}
        type="range"
        min={0}
        max={0.99}
        step={0.01}
        value={value.smoothing}
        onChange={(e) => onChange({ ...value, smoothing: Number(e.target.value) })}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={value.log}
          onChange={(e) => onChange({ ...value, log: e.target.checked })}
        />{' '}
        Log scale
      </label>
      <small>Drag across a chart to zoom, double-click to reset.</small>
    </div>
  );
}
