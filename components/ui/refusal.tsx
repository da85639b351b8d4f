import type { ReactNode } from "react";

/** The page a person gets instead of something they may not see: what it is, and where to go. */
export function Refusal({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div role="alert" className="rounded-xl border border-amber-300 bg-amber-50 p-6 dark:border-amber-900 dark:bg-amber-950">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm">{children}</p>
    </div>
  );
}
