import { BridgesTable } from "@/components/fleet/bridges-table";
import { AdminPage } from "@/components/shell/admin-page";

export const metadata = { title: "Bridges" };

export default function BridgesPage() {
  return (
    <AdminPage live title="Bridges" description="Every videobridge's load and health, live and over time.">
      <BridgesTable />
    </AdminPage>
  );
}
