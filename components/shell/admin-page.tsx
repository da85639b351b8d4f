import type { ReactNode } from "react";
import { FleetLive } from "../live";
import { Card } from "../ui/card";
import { PageHeader } from "../ui/page-header";
import { AdminOnly, requireViewer } from "./gates";

/** A console page for administrators: the header and one card, or the "administrators only" notice. */
export async function AdminPage({ title, description, children, live = false }: { title: string; description: string; children: ReactNode; live?: boolean }) {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what={`The ${title} page`} />;
  return (
    <>
      <PageHeader title={title} description={description} actions={live ? <FleetLive /> : undefined} />
      <Card>{children}</Card>
    </>
  );
}
