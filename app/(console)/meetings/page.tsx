import Link from "next/link";
import { FleetLive } from "@/components/live";
import { MeetingsTable } from "@/components/meetings/meetings-table";
import { MEETING_SORTS, MEETING_STATES, meetingsHref, parseMeetingView, type MeetingSort } from "@/components/meetings/states";
import { requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pillClass } from "@/components/ui/pill";

export const metadata = { title: "Meetings" };

export default async function MeetingsPage({ searchParams }: { searchParams: Promise<{ state?: string; sort?: string }> }) {
  const viewer = await requireViewer();
  const { state, sort } = parseMeetingView(await searchParams);
  const moderator = viewer.access === "moderator";
  return (
    <>
      <PageHeader
        title="Meetings"
        description={moderator ? "Meetings in the rooms you moderate." : "Live and recent meetings across the fleet."}
        actions={moderator ? undefined : <FleetLive />}
      />
      <Card>
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <nav aria-label="Meeting state" className="flex gap-2">
            {MEETING_STATES.map((s) => (
              <Link key={s} href={meetingsHref({ state: s, sort })} aria-current={s === state ? "page" : undefined} className={`capitalize ${pillClass(s === state)}`}>
                {s}
              </Link>
            ))}
          </nav>
          <nav aria-label="Sort meetings" className="flex gap-2">
            {(Object.keys(MEETING_SORTS) as MeetingSort[]).map((s) => (
              <Link key={s} href={meetingsHref({ state, sort: s })} aria-current={s === sort ? "page" : undefined} className={pillClass(s === sort)}>
                {MEETING_SORTS[s]}
              </Link>
            ))}
          </nav>
        </div>
        <MeetingsTable state={state} sort={sort} moderator={moderator} />
      </Card>
    </>
  );
}
