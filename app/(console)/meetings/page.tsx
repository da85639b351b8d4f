import Link from "next/link";
import { FleetLive } from "@/components/live";
import { MeetingsTable } from "@/components/meetings/meetings-table";
import { MEETING_STATES, type MeetingState } from "@/components/meetings/states";
import { requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Meetings" };

export default async function MeetingsPage({ searchParams }: { searchParams: Promise<{ state?: string }> }) {
  const viewer = await requireViewer();
  const requested = (await searchParams).state;
  const state: MeetingState = MEETING_STATES.find((s) => s === requested) ?? "all";
  const moderator = viewer.access === "moderator";
  return (
    <>
      <PageHeader
        title="Meetings"
        description={moderator ? "Meetings in the rooms you moderate." : "Live and recent meetings across the fleet."}
        actions={moderator ? undefined : <FleetLive />}
      />
      <Card>
        <nav aria-label="Meeting state" className="mb-4 flex gap-2">
          {MEETING_STATES.map((s) => (
            <Link
              key={s}
              href={s === "all" ? "/meetings" : `/meetings?state=${s}`}
              aria-current={s === state ? "page" : undefined}
              className={`rounded-full px-3 py-1 text-sm font-medium capitalize ${s === state ? "bg-sky-700 text-white" : "bg-zinc-100 hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700"}`}
            >
              {s}
            </Link>
          ))}
        </nav>
        <MeetingsTable state={state} moderator={moderator} />
      </Card>
    </>
  );
}
