import { ActionsTable } from "@/components/fleet/actions-table";
import { AdminOnly, requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Actions" };

export default async function ActionsPage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what="The Actions page" />;
  return (
    <>
      <PageHeader title="Actions" description="The audit trail of every action: who asked, its plan and its outcome." />
      <Card>
        <ActionsTable />
      </Card>
    </>
  );
}
