import { ScalingHistory } from "@/components/fleet/scaling-history";
import { AdminPage } from "@/components/shell/admin-page";

export const metadata = { title: "Scaling" };

export default function ScalingPage() {
  return (
    <AdminPage title="Scaling" description="Scaling decisions and their history.">
      <ScalingHistory />
    </AdminPage>
  );
}
