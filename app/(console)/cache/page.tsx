import { AdminOnly, requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Cache" };

export default async function CachePage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what="The Cache page" />;
  return (
    <>
      <PageHeader title="Cache" description="Meetscope's own two-tier cache and the timings of its heavy reads." />
      <Card>
        <EmptyState title="No cache statistics yet">
          <p>
            Heavy reads (report lists, long chart windows, the fleet overview) will go through a memory tier and then a PostgreSQL
            tier. Hits, misses, evictions and size per namespace, and the console&apos;s own operation timings, will be shown here.
            Nothing needs configuring.
          </p>
        </EmptyState>
      </Card>
    </>
  );
}
