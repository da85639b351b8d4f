import type { ReactNode } from "react";

export function Card({ title, children, className = "", headingLevel = 2 }: { title?: string; children: ReactNode; className?: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section
      aria-label={title}
      className={`rounded-xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      {title ? <Heading className="mb-3 text-base font-semibold">{title}</Heading> : null}
      {children}
    </section>
  );
}

/** A labelled figure; `compact` for facts that are words or links rather than one big number. */
export function StatCard({ label, value, hint, compact = false }: { label: string; value: ReactNode; hint?: ReactNode; compact?: boolean }) {
  return (
    <div role="group" aria-label={label} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</div>
      <div className={`mt-1 font-semibold tabular-nums ${compact ? "text-lg" : "text-3xl"}`}>{value}</div>
      {hint ? <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</div> : null}
    </div>
  );
}
