import { ActionsTable } from "@/components/fleet/actions-table";
import { AdminPage } from "@/components/shell/admin-page";

export const metadata = { title: "Actions" };

export default function ActionsPage() {
  return (
    <AdminPage title="Actions" description="The audit trail of every action: who asked, its plan and its outcome.">
      <ActionsTable />
    </AdminPage>
  );
}
