import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = ["#b3261e", "#1f6feb", "#1a7f37", "#9a6700", "#8250df", "#cf222e", "#57606a"];

/**
 * An axis label in lines of at most five characters, so a long unit name (台州湾新区, 台州经济开发区)
 * wraps under its bar instead of being cut off or overlapping the next one.
 */
function WrappedTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: unknown } }) {
  const text = String(payload?.value ?? "");
  const lines = text.match(/.{1,5}/gu) ?? [""];
  return (
    <text x={x} y={y} textAnchor="middle" fontSize={11} fill="#5f6b76">
      {lines.map((line, i) => (
        <tspan key={i} x={x} dy={i === 0 ? 12 : 13}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

export interface Series {
  key: string;
  label: string;
}

export function LinesChart({ rows, x, series }: { rows: Array<Record<string, unknown>>; x: string; series: Series[] }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={rows} margin={{ top: 8, right: 12, left: 0, bottom: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={x} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {series.map((s, i) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            stroke={COLORS[i % COLORS.length]}
            strokeDasharray={i === 1 ? "6 4" : undefined}
            connectNulls={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function BarsChart({ rows, x, series, stacked }: { rows: Array<Record<string, unknown>>; x: string; series: Series[]; stacked?: boolean }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={rows} margin={{ top: 8, right: 12, left: 0, bottom: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={x} interval={0} tick={<WrappedTick />} height={44} />
        <YAxis allowDecimals={false} width={40} />
        <Tooltip />
        <Legend />
        {series.map((s, i) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={COLORS[i % COLORS.length]} stackId={stacked ? "a" : undefined} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
