// One uPlot chart: a few series over a shared x-axis, drag to zoom (shared by every chart of a
// ChartGroup), double-click to reset, log scale on demand. A canvas, so it is described in text.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { XY } from './series.js';
import { tickLabels } from './ticks.js';

export interface ChartSeries extends XY {
  label: string;
}

type Range = { min: number; max: number } | null;
const ZoomContext = createContext<{ range: Range; setRange: (r: Range) => void }>({
  range: null,
  setRange: () => {},
});

/** Charts inside one group zoom together (their x-axis is the same quantity). */
export function ChartGroup({ children }: { children: React.ReactNode }) {
  const [range, setRange] = useState<Range>(null);
  return <ZoomContext.Provider value={{ range, setRange }}>{children}</ZoomContext.Provider>;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

/** Series with different x values joined onto one x column (gaps are null). */
function aligned(series: readonly ChartSeries[]): uPlot.AlignedData {
  if (series.length === 1) return [series[0]!.xs, series[0]!.ys];
  return uPlot.join(series.map((s) => [s.xs, s.ys] as uPlot.AlignedData));
}

export interface LineChartProps {
  title: string;
  xLabel: string;
  series: readonly ChartSeries[];
  logY?: boolean;
  points?: boolean;
  height?: number;
}

export function LineChart({ title, xLabel, series, logY, points, height = 220 }: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useContext(ZoomContext);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;
  const seriesRef = useRef(series);
  seriesRef.current = series;
  const shape = `${series.map((s) => s.label).join('|')}:${logY}:${xLabel}`;

  useEffect(() => {
    const el = box.current!;
    const opts: Omit<uPlot.Options, 'width'> = {
      height,
      scales: { x: { time: false }, y: { distr: logY ? 3 : 1 } },
      axes: [
        { label: xLabel, values: (_u, splits, _a, _s, incr) => tickLabels(splits, incr) },
        {
          size: (_u, values) => 14 + 7 * Math.max(4, ...(values ?? []).map((v) => v.length)),
          values: (_u, splits, _a, _s, incr) =>
            logY
              ? splits.map((v) => Number(v.toPrecision(2)).toString())
              : tickLabels(splits, incr),
        },
      ],
      cursor: { sync: { key: 'curio' }, drag: { x: true, y: false } },
      legend: { show: series.length > 1 },
      series: [
        { label: xLabel },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 1.5,
          spanGaps: true,
          points: { show: points ?? false },
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            zoomRef.current.setRange({ min, max });
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    // Made in the resize observer's first call, with the width it measured: the observer runs
    // after layout, once for every chart of the page, where reading clientWidth here would lay
    // the page out again for each chart.
    const create = (width: number) => {
      const u = new uPlot({ ...opts, width }, aligned(seriesRef.current), el);
      u.over.addEventListener('dblclick', () => zoomRef.current.setRange(null));
      if (zoomRef.current.range) u.setScale('x', zoomRef.current.range);
      return u;
    };
    const resize = new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0) || 300;
      if (!plot.current) plot.current = create(width);
      else if (width !== plot.current.width) plot.current.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its shape changes; new data goes through setData below.
  }, [shape, height]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    u.setData(aligned(series), zoom.range === null);
    if (zoom.range) u.setScale('x', zoom.range);
  }, [series, zoom.range]);

  const count = series.reduce((n, s) => n + s.xs.length, 0);
  return (
    <figure className="chart" aria-label={`${title}: ${count} points against ${xLabel}`}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-canvas" data-points={count} />
    </figure>
  );
}
