import { ScalingHistory } from "@/components/fleet/scaling-history";
import { AdminOnly, requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Scaling" };

export default async function ScalingPage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what="The Scaling page" />;
  return (
    <>
      <PageHeader title="Scaling" description="Scaling decisions and their history." />
      <Card>
        <ScalingHistory />
      </Card>
    </>
  );
}
