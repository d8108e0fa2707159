// The chart, drawn as plain SVG (a few kB; a charting library would add 50–250 kB to the bundle
// for two chart types). Drawn at the pane's own width, so its text stays at reading size however
// narrow the pane. Every mark carries a <title> with the exact figure, and the <svg> an
// aria-label saying what it shows.
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { axisTitle, chartPoints, formatTick, formatValue, niceTicks } from './chart-model.ts';
import type { ChartSpec, Point } from './chart-model.ts';
import type { Column, Row } from './datasets.ts';

const FONT = 12;

/** The element's content width, followed as the panes are resized (0 until first measured). */
function useWidth(): [(element: HTMLDivElement | null) => (() => void) | undefined, number] {
  const [width, setWidth] = useState(0);
  const ref = useCallback((element: HTMLDivElement | null) => {
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function Chart({ spec, value, rows }: { spec: ChartSpec; value: Column; rows: readonly Row[] }) {
  const [ref, measured] = useWidth();
  const points = chartPoints(spec, rows, value);
  if (points.length === 0) return <p className="pharmaone-results-note">No row has a number in {value.key}.</p>;
  const width = Math.min(1000, Math.max(360, measured));
  const plot = { x: spec.x, value, points, width };
  return <div ref={ref}>{measured === 0 ? null : spec.kind === 'line' ? <LineChart {...plot} /> : <BarChart {...plot} />}</div>;
}

interface Plot {
  x: Column;
  value: Column;
  points: Point[];
  width: number;
}

function LineChart({ x, value, points, width: WIDTH }: Plot) {
  const height = Math.round(Math.min(380, Math.max(240, WIDTH * 0.5)));
  const margin = { top: 16, right: 20, bottom: 56, left: 76 };
  const ticks = niceTicks(Math.min(...points.map((p) => p.value)), Math.max(...points.map((p) => p.value)));
  const [low, high] = [ticks[0] ?? 0, ticks.at(-1) ?? 1];
  const plotWidth = WIDTH - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const px = (index: number) => margin.left + (points.length === 1 ? plotWidth / 2 : (index * plotWidth) / (points.length - 1));
  const py = (v: number) => margin.top + plotHeight - ((v - low) / (high - low)) * plotHeight;
  // Labels along the bottom at least 64 px apart, evenly picked, so months do not overlap.
  const every = Math.ceil(points.length / Math.max(2, Math.floor(plotWidth / 64)));
  const sample = points[0]?.row;
  const label = `Line chart of ${axisTitle(value, sample)} by ${x.key}: ${points.length} points`;
  return (
    <ChartFrame width={WIDTH} height={height} label={label}>
      <YGrid ticks={ticks} column={value} sample={sample} left={margin.left} right={WIDTH - margin.right} py={py} />
      <polyline className="pharmaone-chart-line" fill="none" points={points.map((p, i) => `${px(i)},${py(p.value)}`).join(' ')} />
      {points.map((point, index) => (
        <circle key={point.key} className="pharmaone-chart-mark" cx={px(index)} cy={py(point.value)} r={3.5}>
          <title>{`${point.label}: ${formatValue(value, point.cell, point.row)}`}</title>
        </circle>
      ))}
      {points.map((point, index) =>
        index % every === 0 ? (
          <text key={`x-${point.key}`} className="pharmaone-chart-tick" x={px(index)} y={height - margin.bottom + 16} textAnchor="middle">
            {point.label.length > 10 ? point.label.slice(0, 10) : point.label}
          </text>
        ) : null,
      )}
      <text className="pharmaone-chart-axis-title" x={margin.left + plotWidth / 2} y={height - 12} textAnchor="middle">
        {x.key}
      </text>
      <text
        className="pharmaone-chart-axis-title"
        transform={`translate(14 ${margin.top + plotHeight / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {axisTitle(value, sample)}
      </text>
    </ChartFrame>
  );
}

function BarChart({ x, value, points, width: WIDTH }: Plot) {
  const slot = 24;
  // Labels get up to 40 % of the width at ~7 px a character; longer ones end in … (the tooltip has them whole).
  const labelSpace = Math.min(WIDTH * 0.4, Math.max(...points.map((p) => p.label.length)) * 7);
  const maxChars = Math.max(4, Math.floor(labelSpace / 7));
  const margin = { top: 12, right: 28, bottom: 48, left: 36 + labelSpace };
  const height = margin.top + points.length * slot + margin.bottom;
  const ticks = niceTicks(Math.min(...points.map((p) => p.value)), Math.max(...points.map((p) => p.value)));
  const [low, high] = [ticks[0] ?? 0, ticks.at(-1) ?? 1];
  const plotWidth = WIDTH - margin.left - margin.right;
  const vx = (v: number) => margin.left + ((v - low) / (high - low)) * plotWidth;
  const sample = points[0]?.row;
  const label = `Bar chart of ${axisTitle(value, sample)} by ${x.key}: ${points.length} bars`;
  const axisY = margin.top + points.length * slot;
  return (
    <ChartFrame width={WIDTH} height={height} label={label}>
      {ticks.map((tick) => (
        <g key={tick}>
          <line className="pharmaone-chart-grid" x1={vx(tick)} x2={vx(tick)} y1={margin.top} y2={axisY} />
          <text className="pharmaone-chart-tick" x={vx(tick)} y={axisY + 16} textAnchor="middle">
            {formatTick(value, tick, sample)}
          </text>
        </g>
      ))}
      {points.map((point, index) => {
        const y = margin.top + index * slot;
        const start = vx(Math.min(0, point.value));
        return (
          <g key={point.key}>
            <text className="pharmaone-chart-tick" x={margin.left - 6} y={y + slot / 2 + 4} textAnchor="end">
              {point.label.length > maxChars ? `${point.label.slice(0, maxChars - 1)}…` : point.label}
            </text>
            <rect
              className="pharmaone-chart-mark"
              x={start}
              y={y + 4}
              width={Math.max(1, Math.abs(vx(point.value) - vx(0)))}
              height={slot - 8}
            >
              <title>{`${point.label}: ${formatValue(value, point.cell, point.row)}`}</title>
            </rect>
          </g>
        );
      })}
      <text className="pharmaone-chart-axis-title" x={margin.left + plotWidth / 2} y={height - 10} textAnchor="middle">
        {axisTitle(value, sample)}
      </text>
      <text
        className="pharmaone-chart-axis-title"
        transform={`translate(12 ${margin.top + (axisY - margin.top) / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {x.key}
      </text>
    </ChartFrame>
  );
}

function YGrid(props: { ticks: number[]; column: Column; sample?: Row; left: number; right: number; py: (v: number) => number }) {
  return (
    <g>
      {props.ticks.map((tick) => (
        <g key={tick}>
          <line className="pharmaone-chart-grid" x1={props.left} x2={props.right} y1={props.py(tick)} y2={props.py(tick)} />
          <text className="pharmaone-chart-tick" x={props.left - 6} y={props.py(tick) + 4} textAnchor="end">
            {formatTick(props.column, tick, props.sample)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** The chart's SVG: its size, and the name that says what it shows (its accessible name). */
function ChartFrame({ width, height, label, children }: { width: number; height: number; label: string; children: ReactNode }) {
  return (
    <svg
      className="pharmaone-chart"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      fontSize={FONT}
    >
      {children}
    </svg>
  );
}
