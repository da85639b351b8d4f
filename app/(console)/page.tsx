import { redirect } from "next/navigation";
import { FleetLive } from "@/components/live";
import { FleetSummary } from "@/components/overview/fleet-summary";
import { ActiveIssues } from "@/components/overview/active-issues";
import { LiveMeetings } from "@/components/overview/live-meetings";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/components/shell/gates";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") redirect("/rooms");
  return (
    <>
      <PageHeader title="Overview" description="The fleet at a glance: bridges, live meetings and what needs attention." actions={<FleetLive />} />
      <FleetSummary />
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title="Live meetings">
          <LiveMeetings />
        </Card>
        <Card title="Active issues">
          <ActiveIssues />
        </Card>
      </div>
    </>
  );
}
