import Link from "next/link";
import type { ReactNode } from "react";
import type { Viewer } from "@/server/auth/viewer";
import { NAV_ITEMS } from "./nav-items";
import { Navigation } from "./navigation";
import { SignOutButton } from "./sign-out-button";

const roleLabel = { admin: "Administrator", moderator: "Moderator", none: "No role" } as const;

export function AppShell({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  const items = NAV_ITEMS.filter((item) => item.access.includes(viewer.access));
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <aside className="relative flex items-center justify-between gap-3 border-b border-zinc-200 bg-white px-4 py-3 md:sticky md:top-0 md:h-screen md:flex-col md:items-stretch md:justify-start md:border-r md:border-b-0 md:px-3 md:py-5 dark:border-zinc-800 dark:bg-zinc-900">
        <Link href="/" className="flex items-center gap-2 px-2 text-lg font-semibold tracking-tight">
          {/* eslint-disable-next-line @next/next/no-img-element -- a 24px static SVG needs no optimisation */}
          <img src="/icon.svg" alt="" width={24} height={24} />
          Meetscope
        </Link>
        <div className="md:mt-6 md:flex-1">
          <Navigation items={items} />
        </div>
        <div className="hidden border-t border-zinc-200 pt-4 md:block dark:border-zinc-800">
          <UserBlock viewer={viewer} />
        </div>
      </aside>
      <div className="min-w-0">
        <div className="flex items-center justify-between gap-3 border-b border-zinc-200 bg-white px-4 py-2 md:hidden dark:border-zinc-800 dark:bg-zinc-900">
          <UserBlock viewer={viewer} compact />
        </div>
        <main id="main" className="mx-auto max-w-6xl px-4 py-6 md:px-8 md:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}

function UserBlock({ viewer, compact = false }: { viewer: Viewer; compact?: boolean }) {
  return (
    <section aria-label="Signed-in person" className={compact ? "flex w-full items-center justify-between gap-3" : "space-y-3 px-2"}>
      <div className="min-w-0 text-sm">
        <div className="truncate font-medium">{viewer.name ?? viewer.email ?? viewer.subject}</div>
        <div className="truncate text-xs text-zinc-500 dark:text-zinc-400">
          {roleLabel[viewer.access]}
          {viewer.email && !compact ? ` · ${viewer.email}` : ""}
        </div>
      </div>
      <SignOutButton className={compact ? "" : "w-full"} />
    </section>
  );
}
