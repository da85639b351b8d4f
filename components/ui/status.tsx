"use client";
import type { ReactNode } from "react";

export function Loading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 py-8 text-sm text-zinc-500">
      <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-zinc-300 border-t-sky-600" />
      {label}
    </div>
  );
}

export function ErrorNotice({ error, children }: { error: { message: string } | null; children?: ReactNode }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      <p className="font-medium">{children ?? "This could not be loaded."}</p>
      {error ? <p className="mt-1">{error.message}</p> : null}
    </div>
  );
}

const tones = {
  neutral: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  good: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  warn: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  bad: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  info: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
} as const;

export function Badge({ tone = "neutral", children }: { tone?: keyof typeof tones; children: ReactNode }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/** An issue's or alert's severity, in the one colour it has on every page. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={severity === "critical" ? "bad" : "warn"}>{severity}</Badge>;
}
