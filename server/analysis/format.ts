/** Number formatting for rule and evidence strings: short, and the same everywhere. */

/** 380.4 → "380", 45.26 → "45.3", 0.1612 → "0.161", 0 → "0" */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 1 : 3;
  return String(Number(value.toFixed(digits)));
}

/** A fraction as percent: 0.16 → "16 %", 0.004 → "0.4 %", 0.0504 → "5 %" */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  const digits = Math.abs(percent) >= 10 ? 0 : 1;
  return `${Number(percent.toFixed(digits))} %`;
}

export function formatMs(valueMs: number): string {
  return `${formatNumber(valueMs)} ms`;
}
