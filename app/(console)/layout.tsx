import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireViewer } from "@/components/shell/gates";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  return <AppShell viewer={viewer}>{children}</AppShell>;
}
