import Link from "next/link";
import { z } from "zod";
import { MeetingView } from "@/components/meetings/meeting-view";
import { CHART_WINDOWS, parseChartWindow, type ChartWindow } from "@/components/meetings/states";
import { requireViewer } from "@/components/shell/gates";
import { PageHeader } from "@/components/ui/page-header";
import { Refusal } from "@/components/ui/refusal";
import { pillClass } from "@/components/ui/pill";
import { moderatedRooms } from "@/server/auth/viewer";
import { db } from "@/server/db/client";

export const metadata = { title: "Meeting" };

export default async function MeetingPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ window?: string }> }) {
  const viewer = await requireViewer();
  const { id } = await params;
  const minutes = parseChartWindow((await searchParams).window);
  const meeting = z.uuid().safeParse(id).success ? await db().meeting.findUnique({ where: { id }, select: { id: true, room: true, startedAt: true } }) : null;
  const allowed = meeting && (viewer.access === "admin" || (await moderatedRooms(db(), viewer)).includes(meeting.room));
  if (!meeting || !allowed) {
    // The same page for "no such meeting" and "not yours": a moderator learns nothing of other rooms.
    return (
      <Refusal title="Meeting not found">
        There is no meeting with this id that you may see.{" "}
        <Link href={viewer.access === "admin" ? "/meetings" : "/rooms"} className="font-medium text-sky-700 underline dark:text-sky-400">Back</Link>
      </Refusal>
    );
  }
  return (
    <>
      <PageHeader
        title={meeting.room}
        description={`Per-participant audio, video and network over the meeting's last ${minutes === 60 ? "hour" : CHART_WINDOWS[minutes]}, the analyzer's current verdict and its issue timeline.`}
        actions={
          <nav aria-label="Chart window" className="flex flex-wrap gap-2">
            {(Object.keys(CHART_WINDOWS).map(Number) as ChartWindow[]).map((w) => (
              <Link key={w} href={w === 60 ? `/meetings/${meeting.id}` : `/meetings/${meeting.id}?window=${w}`} aria-current={w === minutes ? "page" : undefined} className={pillClass(w === minutes)}>
                {CHART_WINDOWS[w]}
              </Link>
            ))}
          </nav>
        }
      />
      <MeetingView meetingId={meeting.id} minutes={minutes} fleetLinks={viewer.access === "admin"} />
    </>
  );
}
