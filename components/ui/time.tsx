"use client";

const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A date in the viewer's locale and time zone (rendered on the client, so it is the browser's zone). */
export function Time({ value }: { value: Date | null | undefined }) {
  if (!value) return <span className="text-zinc-400">—</span>;
  return <time dateTime={value.toISOString()}>{formatter.format(value)}</time>;
}
