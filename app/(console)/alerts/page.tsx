import { AlertsView } from "@/components/alerts/alerts-view";
import { requireViewer, AdminOnly } from "@/components/shell/gates";
import { FleetLive } from "@/components/live";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what="The Alerts page" />;
  return (
    <>
      <PageHeader title="Alerts" description="Quality alerts raised from the meetings' reports, and whether the webhooks received them." actions={<FleetLive />} />
      <AlertsView />
    </>
  );
}
