"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { Code, EmptyState } from "../ui/empty-state";
import { ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";

const LARGEST_SHOWN = 8;

/** The largest live meetings, with their bridge. */
export function LiveMeetings() {
  const trpc = useTRPC();
  const meetings = useQuery(trpc.meetings.list.queryOptions({ state: "live", sort: "participants", limit: LARGEST_SHOWN }, { refetchInterval: 10_000 }));
  // the same query as the fleet figures beside it (one request for both)
  const summary = useQuery(trpc.overview.summary.queryOptions(undefined, { refetchInterval: 10_000 }));
  if (meetings.isPending) return <Loading label="Loading live meetings…" />;
  if (meetings.isLoadingError) return <ErrorNotice error={meetings.error}>Live meetings could not be loaded.</ErrorNotice>;
  if (meetings.data.length === 0) {
    return (
      <EmptyState title="No live meetings">
        <p>
          Live meetings appear here as meeting clients report to <Code>POST /api/v1/ingest</Code> (an ingest token from Settings) and
          bridges are polled.
        </p>
      </EmptyState>
    );
  }
  const liveCount = summary.data?.liveMeetings ?? null;
  return (
    <>
      <Table label="Largest live meetings" head={["Room", "Participants", "Bridge"]} compact>
        {meetings.data.map((m) => (
          <tr key={m.id}>
            <Td>
              <Link className="font-medium text-sky-700 hover:underline dark:text-sky-400" href={`/meetings/${m.id}`}>{m.room}</Link>
            </Td>
            <Td className="tabular-nums">{m.participantsNow}</Td>
            <Td>{m.bridge?.name ?? "—"}</Td>
          </tr>
        ))}
      </Table>
      <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
        {liveCount === null ? "" : `${liveCount} live meeting${liveCount === 1 ? "" : "s"} · `}
        <Link href="/meetings?state=live" className="underline">all of them</Link>
      </p>
    </>
  );
}
