"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries {
  key: string;
  name: string;
}

/** One point in time: `t` (epoch ms) and a value per series key (null where that series has no value). */
export type ChartPoint = { t: number } & Record<string, number | null>;

const COLORS = ["#0284c7", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#db2777", "#0d9488", "#65a30d", "#ea580c", "#4f46e5"];
const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** A line per series over time, for one metric with one unit. */
export function MetricChart({ title, unit, series, data, domain }: { title: string; unit: string; series: ChartSeries[]; data: ChartPoint[]; domain?: [number, number] }) {
  return (
    <figure className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" aria-label={`${title} (${unit})`}>
      <figcaption className="mb-2 text-sm font-semibold">
        {title} <span className="font-normal text-zinc-500">({unit})</span>
      </figcaption>
      {data.length === 0 ? (
        <p className="py-12 text-center text-sm text-zinc-500">No samples in this window.</p>
      ) : (
        <div className="h-52">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#8884" />
              <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => time.format(v)} tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} domain={domain ?? ["auto", "auto"]} />
              <Tooltip labelFormatter={(v) => time.format(Number(v))} formatter={(v) => (typeof v === "number" ? `${Math.round(v * 100) / 100} ${unit}` : "—")} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {series.map((s, i) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.name}
                  stroke={COLORS[i % COLORS.length]}
                  dot={(dot) => <IsolatedDot key={`${s.key}-${dot.index}`} data={data} seriesKey={s.key} index={dot.index} cx={dot.cx} cy={dot.cy} color={COLORS[i % COLORS.length]!} />}
                  strokeWidth={1.5}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

const hasValue = (point: ChartPoint | undefined, key: string) => typeof point?.[key] === "number";

/** Lines break where a series has no value; a value alone between two breaks has no line, so it gets a dot. */
function IsolatedDot({ data, seriesKey, index, cx, cy, color }: { data: ChartPoint[]; seriesKey: string; index: number; cx?: number; cy?: number; color: string }) {
  const alone = hasValue(data[index], seriesKey) && !hasValue(data[index - 1], seriesKey) && !hasValue(data[index + 1], seriesKey);
  return alone && cx !== undefined && cy !== undefined ? <circle cx={cx} cy={cy} r={2} fill={color} /> : <g />;
}
