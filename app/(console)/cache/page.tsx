import { AdminPage } from "@/components/shell/admin-page";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Cache" };

export default function CachePage() {
  return (
    <AdminPage title="Cache" description="Meetscope's own two-tier cache and the timings of its heavy reads.">
      <EmptyState title="No cache statistics yet">
        <p>
          Heavy reads (report lists, long chart windows, the fleet overview) will go through a memory tier and then a PostgreSQL
          tier. Hits, misses, evictions and size per namespace, and the console&apos;s own operation timings, will be shown here.
          Nothing needs configuring.
        </p>
      </EmptyState>
    </AdminPage>
  );
}
