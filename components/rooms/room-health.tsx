"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

export function RoomHealth({ room }: { room: string }) {
  const trpc = useTRPC();
  const health = useQuery(trpc.rooms.health.queryOptions({ room }, { refetchInterval: 10_000 }));
  if (health.isPending) return <Loading label="Loading room health…" />;
  if (health.isLoadingError) return <ErrorNotice error={health.error}>This room&apos;s health could not be loaded.</ErrorNotice>;
  return (
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
  );
}
