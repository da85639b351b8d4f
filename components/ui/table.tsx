import type { ReactNode } from "react";

/** A table that scrolls sideways on narrow screens instead of breaking the layout. */
export function Table({ label, head, children, compact = false }: { label: string; head: string[]; children: ReactNode; compact?: boolean }) {
  return (
    <div className="-mx-5 overflow-x-auto px-5">
      <table aria-label={label} className={`w-full text-left text-sm ${compact ? "" : "min-w-[36rem]"}`}>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="py-2 pr-4 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <td className={`py-2 pr-4 align-top ${className}`}>{children}</td>;
}
