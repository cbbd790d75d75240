import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  /** One count per minute, aligned with `minutes`. */
  values: number[];
}

/** Distinct for colour-blind readers too: the legend and the table beside the chart name every line. */
const COLOURS = ['#0b3d91', '#b3261e', '#0f6b32', '#8a5a00', '#6b2c91', '#00707a', '#4a4a4a', '#c2185b'];
const HEIGHT = 220;
/** Axis labels in UTC, 24-hour, like every time the console shows. */
const hhmm = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(11, 16);

/**
 * Counts per minute as lines, drawn by uPlot and updated in place when the
 * data changes (a new chart only when the set of lines changes). The figures
 * are also in a table below it, for screen readers and for anyone reading
 * exact numbers off the wall screen.
 */
export function MinuteChart({ id, title, minutes, series }: { id: string; title: string; minutes: string[]; series: ChartSeries[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('\u0000');
  const data: uPlot.AlignedData = [minutes.map((m) => Date.parse(m) / 1000), ...series.map((s) => s.values)];

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: HEIGHT,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.2))] } },
      axes: [{ values: (_u, splits) => splits.map(hhmm) }, { label: 'per minute' }],
      // The table below carries the figures; a hover legend would only repeat them.
      legend: { live: false },
      series: [
        { label: 'minute (UTC)' },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLOURS[i % COLOURS.length]!,
          width: 2,
          dash: i >= COLOURS.length ? [6, 4] : [],
        })),
      ],
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const last = (s: ChartSeries) => s.values[s.values.length - 1] ?? 0;
  const sum = (s: ChartSeries, n: number) => s.values.slice(-n).reduce((a, b) => a + b, 0);
  return (
    <figure class="chart" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <table class="data-table">
        <caption class="sr-only">{title}: figures</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col" class="num">
              This minute
            </th>
            <th scope="col" class="num">
              Last 10 minutes
            </th>
            <th scope="col" class="num">
              Last {minutes.length} minutes
            </th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.label} data-series={s.label} data-window-total={sum(s, minutes.length)}>
              <th scope="row">{s.label}</th>
              <td class="num">{last(s)}</td>
              <td class="num">{sum(s, 10)}</td>
              <td class="num">{sum(s, minutes.length)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
