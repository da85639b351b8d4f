import type { Access } from "@/server/auth/roles";

export interface NavItem {
  href: string;
  label: string;
  /** who sees it in the navigation */
  access: Access[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", access: ["admin"] },
  { href: "/rooms", label: "My rooms", access: ["moderator"] },
  { href: "/meetings", label: "Meetings", access: ["admin", "moderator"] },
  { href: "/alerts", label: "Alerts", access: ["admin"] },
  { href: "/bridges", label: "Bridges", access: ["admin"] },
  { href: "/scaling", label: "Scaling", access: ["admin"] },
  { href: "/cache", label: "Cache", access: ["admin"] },
  { href: "/actions", label: "Actions", access: ["admin"] },
  { href: "/settings", label: "Settings", access: ["admin"] },
];
