import type { ReactNode } from "react";

/** What a region shows before it has data: what will appear here, and what to configure to get it. */
export function EmptyState({ title, children, icon = "○" }: { title: string; children: ReactNode; icon?: string }) {
  return (
    <div role="status" className="flex flex-col items-center rounded-lg border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
      <div aria-hidden className="mb-2 text-2xl text-zinc-400">{icon}</div>
      <p className="font-medium">{title}</p>
      <div className="mt-2 max-w-xl space-y-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
    </div>
  );
}

export function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono whitespace-nowrap text-[0.85em] dark:bg-zinc-800">{children}</code>;
}
