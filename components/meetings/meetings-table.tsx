"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { CAUSE_LABEL, issueKindLabel } from "./labels";
import type { MeetingSort, MeetingState } from "./states";

import { Code, EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";


export function MeetingsTable({ state, sort, moderator }: { state: MeetingState; sort: MeetingSort; moderator: boolean }) {
  const trpc = useTRPC();
  const meetings = useQuery(trpc.meetings.list.queryOptions({ state, sort, limit: 200 }, { refetchInterval: 10_000, placeholderData: keepPreviousData }));
  if (meetings.isPending) return <Loading label="Loading meetings…" />;
  if (meetings.isLoadingError) return <ErrorNotice error={meetings.error}>Meetings could not be loaded.</ErrorNotice>;
  if (meetings.data.length === 0) {
    return (
      <EmptyState title={state === "live" ? "No live meetings" : "No meetings yet"}>
        {moderator ? (
          <p>Meetings in the rooms you moderate appear here once they start.</p>
        ) : (
          <p>
            Meetings appear here as bridges report conferences (set <Code>JVB_URLS</Code> and <Code>JICOFO_URLS</Code>) and meeting
            clients post their figures to <Code>POST /api/v1/ingest</Code> with an ingest token from Settings.
          </p>
        )}
      </EmptyState>
    );
  }
  // Rows come in the order asked for, sorted by the server over all the matching meetings. While another
  // filter or order loads, the rows of the last one stay, dimmed and marked busy.
  return (
    <section aria-label="Meetings list" aria-busy={meetings.isPlaceholderData} className={meetings.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
      <Table label="Meetings" head={["Room", "State", "Health", "Main issue", "Started", "Participants now / seen", "Bridge"]}>
        {meetings.data.map((m) => (
          <tr key={m.id}>
            <Td>
              <Link className="font-medium text-sky-700 hover:underline dark:text-sky-400" href={`/meetings/${m.id}`}>
                {m.room}
              </Link>
            </Td>
            <Td>{m.endedAt ? <Badge>ended</Badge> : <Badge tone="good">live</Badge>}</Td>
            <Td className="tabular-nums">{m.healthScore != null ? <Badge tone={m.healthScore >= 80 ? "good" : m.healthScore >= 50 ? "warn" : "bad"}>{Math.round(m.healthScore)}</Badge> : "—"}</Td>
            <Td className="text-xs">{m.mainIssue ? `${issueKindLabel(m.mainIssue.kind)} (${CAUSE_LABEL[m.mainIssue.cause]})` : "—"}</Td>
            <Td><Time value={m.startedAt} /></Td>
            <Td className="tabular-nums">{m.participantsNow} / {m.participantsSeen}</Td>
            <Td>{m.bridge?.name ?? "—"}</Td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
