"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { CAUSE_LABEL, issueKindLabel } from "../meetings/labels";
import { EmptyState } from "../ui/empty-state";
import { ErrorNotice, Loading, SeverityBadge } from "../ui/status";


/** Issues of live meetings, critical first, from their latest 30-second report. */
export function ActiveIssues() {
  const trpc = useTRPC();
  const issues = useQuery(trpc.overview.issues.queryOptions(undefined, { refetchInterval: 5_000 }));
  if (issues.isPending) return <Loading label="Loading issues…" />;
  if (issues.isLoadingError) return <ErrorNotice error={issues.error}>Issues could not be loaded.</ErrorNotice>;
  if (issues.data.length === 0) {
    return (
      <EmptyState title="No issues in live meetings" icon="✓">
        <p>Poor audio, video or network in a live meeting appears here with its cause: a participant&apos;s network, an overloaded bridge or a starved CPU.</p>
      </EmptyState>
    );
  }
  const sorted = [...issues.data].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1));
  return (
    <ul aria-label="Active issues" className="space-y-3">
      {sorted.map((issue, i) => (
        <li key={`${issue.meetingId}-${i}`} className="rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800">
          <div className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={issue.severity} />
            <Link href={`/meetings/${issue.meetingId}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{issue.room}</Link>
            <span>{issue.who.join(", ")}</span>
          </div>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            {issueKindLabel(issue.kind)}, cause: <strong>{CAUSE_LABEL[issue.cause]}</strong>{issue.evidence[0] ? ` (${issue.evidence[0]})` : ""}
          </p>
        </li>
      ))}
    </ul>
  );
}
