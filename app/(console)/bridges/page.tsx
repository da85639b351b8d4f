import { BridgesTable } from "@/components/fleet/bridges-table";
import { AdminOnly, requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Bridges" };

export default async function BridgesPage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what="The Bridges page" />;
  return (
    <>
      <PageHeader title="Bridges" description="Every videobridge's load and health, live and over time." />
      <Card>
        <BridgesTable />
      </Card>
    </>
  );
}
