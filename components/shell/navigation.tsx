"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import type { NavItem } from "./nav-items";

function isCurrent(pathname: string, href: string) {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** Sidebar links on wide screens; a menu button that opens them on narrow ones. */
export function Navigation({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  // The menu is open for the page it was opened on: following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;

  return (
    <>
      <button
        type="button"
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium md:hidden dark:border-zinc-700"
        aria-expanded={open}
        aria-controls="main-navigation"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        {open ? "Close menu" : "Menu"}
      </button>
      <nav
        id="main-navigation"
        aria-label="Main"
        className={`${open ? "block" : "hidden"} absolute inset-x-0 top-full z-20 border-b border-zinc-200 bg-white p-3 shadow-lg md:static md:block md:border-0 md:bg-transparent md:p-0 md:shadow-none dark:border-zinc-800 dark:bg-zinc-900 md:dark:bg-transparent`}
      >
        <ul className="flex flex-col gap-1">
          {items.map((item) => {
            const current = isCurrent(pathname, item.href);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={current ? "page" : undefined}
                  className={`block rounded-md px-3 py-2 text-sm font-medium ${
                    current
                      ? "bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200"
                      : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                  }`}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </>
  );
}
