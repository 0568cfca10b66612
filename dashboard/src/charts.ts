/**
 * Charts with uPlot (a small, well-kept canvas chart library). Each chart has a text
 * alternative next to it (a table or the figures), so nothing is only in the canvas.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const TREATED = "#1f6feb";
const HOLDOUT = "#8a5a00";

function width(el: HTMLElement): number {
  return Math.max(280, Math.min(720, el.clientWidth || 600));
}

/**
 * Visit rate of the treated and the holdout group as two bars with their 95 % interval as
 * whiskers (drawn in uPlot's draw hook, on uPlot's scales).
 */
export function ratesChart(
  el: HTMLElement,
  rates: { treated: number | null; holdout: number | null },
  cis: { treated: readonly [number, number] | null; holdout: readonly [number, number] | null },
): uPlot {
  const values = [rates.treated ?? 0, rates.holdout ?? 0].map((r) => r * 100);
  const intervals = [cis.treated, cis.holdout];
  const top = Math.max(5, ...intervals.map((ci) => (ci ? ci[1] * 100 : 0)), ...values) * 1.15;
  const bars = uPlot.paths.bars?.({ size: [0.5, 80] });
  return new uPlot(
    {
      width: width(el),
      height: 220,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, 1.5] }, y: { range: [0, top] } },
      axes: [
        {
          values: (_u, splits) => splits.map((s) => (s === 0 ? "Sent" : s === 1 ? "Held out" : "")),
          splits: () => [0, 1],
        },
        { label: "Visit rate (%)", values: (_u, splits) => splits.map((s) => `${s.toFixed(0)} %`) },
      ],
      series: [
        {},
        {
          label: "Sent",
          paths: bars,
          fill: TREATED,
          stroke: TREATED,
          points: { show: false },
        },
        {
          label: "Held out",
          paths: bars,
          fill: HOLDOUT,
          stroke: HOLDOUT,
          points: { show: false },
        },
      ],
      hooks: {
        draw: [
          (u) => {
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = "#111";
            ctx.lineWidth = 2 * devicePixelRatio;
            intervals.forEach((ci, i) => {
              if (!ci) return;
              const x = u.valToPos(i, "x", true);
              const lo = u.valToPos(ci[0] * 100, "y", true);
              const hi = u.valToPos(ci[1] * 100, "y", true);
              const cap = 10 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(x, lo);
              ctx.lineTo(x, hi);
              ctx.moveTo(x - cap, lo);
              ctx.lineTo(x + cap, lo);
              ctx.moveTo(x - cap, hi);
              ctx.lineTo(x + cap, hi);
              ctx.stroke();
            });
            ctx.restore();
          },
        ],
      },
    },
    [
      [0, 1],
      [values[0] ?? 0, null],
      [null, values[1] ?? 0],
    ],
    el,
  );
}

/** Daily sends, holdouts and attributed visits of both groups as lines. */
export function dailyChart(
  el: HTMLElement,
  days: string[],
  series: { label: string; values: number[]; color: string; dash?: number[] }[],
  yLabel = "Devices",
): uPlot {
  const xs = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
  return new uPlot(
    {
      width: width(el),
      height: 240,
      scales: { x: { time: true } },
      axes: [
        {
          // One tick per day at most, labelled with the local day of the report (MM-DD).
          incrs: [86_400, 2 * 86_400, 7 * 86_400, 30 * 86_400],
          values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)),
        },
        { label: yLabel },
      ],
      series: [
        {
          label: "Day",
          value: (_u, v) => (v == null ? "" : new Date(v * 1000).toISOString().slice(0, 10)),
        },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          ...(s.dash ? { dash: s.dash } : {}),
        })),
      ],
    },
    [xs, ...series.map((s) => s.values)],
    el,
  );
}

export const COLORS = {
  treated: TREATED,
  holdout: HOLDOUT,
  /** Journey stages: new, returning, regular, lapsed. */
  new: "#1f6feb",
  returning: "#2da44e",
  regular: "#8250df",
  lapsed: "#cf222e",
};
