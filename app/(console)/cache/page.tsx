import { CacheStats } from "@/components/cache/cache-stats";
import { AdminPage } from "@/components/shell/admin-page";

export const metadata = { title: "Cache" };

export default function CachePage() {
  return (
    <AdminPage title="Cache" description="Meetscope's own two-tier cache: memory first, then PostgreSQL, per namespace.">
      <CacheStats />
    </AdminPage>
  );
}
