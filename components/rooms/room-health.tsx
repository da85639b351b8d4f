"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { MeetingView } from "../meetings/meeting-view";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

/** A room's meetings, and the live one's full view: a moderator's page for the rooms they look after. */
export function RoomHealth({ room, fleetLinks }: { room: string; fleetLinks: boolean }) {
  const trpc = useTRPC();
  const health = useQuery(trpc.rooms.health.queryOptions({ room }, { refetchInterval: 10_000 }));
  if (health.isPending) return <Loading label="Loading room health…" />;
  if (health.isLoadingError) return <ErrorNotice error={health.error}>This room&apos;s health could not be loaded.</ErrorNotice>;
  const live = health.data.meetings.find((m) => !m.endedAt);
  return (
    <div className="space-y-6">
      <Card title="Meetings in this room">
        {health.data.meetings.length === 0 ? (
          <EmptyState title="No meetings in this room yet">
            <p>When a meeting starts here, its health score, issues and per-participant figures appear on this page.</p>
          </EmptyState>
        ) : (
          <Table label="Meetings in this room" head={["Started", "State", "Participants seen", "Health score"]}>
            {health.data.meetings.map((m) => (
              <tr key={m.id}>
                <Td><Link className="font-medium text-sky-700 hover:underline dark:text-sky-400" href={`/meetings/${m.id}`}><Time value={m.startedAt} /></Link></Td>
                <Td>{m.endedAt ? <Badge>ended</Badge> : <Badge tone="good">live</Badge>}</Td>
                <Td className="tabular-nums">{m.participantsSeen}</Td>
                <Td className="tabular-nums">{m.latestReport?.overallScore != null ? Math.round(m.latestReport.overallScore) : "—"}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {live ? (
        <section aria-label="The live meeting" className="space-y-3">
          <h2 className="text-lg font-semibold">
            Live now: <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/meetings/${live.id}`}>the meeting started <Time value={live.startedAt} /></Link>
          </h2>
          <MeetingView meetingId={live.id} minutes={60} fleetLinks={fleetLinks} />
        </section>
      ) : null}
    </div>
  );
}
