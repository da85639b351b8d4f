"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import type { Issue, ParticipantAssessment } from "@/server/analysis/types";
import { MetricChart } from "../charts/metric-chart";
import { LiveStatus, useMeetingLive } from "../live";
import { pivot } from "../charts/pivot";
import { useTRPC } from "../trpc";
import { CAUSE_LABEL, issueKindLabel } from "./labels";
import { Card, StatCard } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading, SeverityBadge } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";


// Live events refetch at once; this slower poll is only the fallback while the event stream is away.
const REFRESH_MS = 30_000;

/** `fleetLinks`: admins get links into the fleet pages (a moderator sees the bridge's name, not the fleet). */
export function MeetingView({ meetingId, minutes, fleetLinks }: { meetingId: string; minutes: number; fleetLinks: boolean }) {
  const trpc = useTRPC();
  const liveStatus = useMeetingLive(meetingId);
  const detail = useQuery(trpc.meetings.detail.queryOptions({ meetingId }, { refetchInterval: REFRESH_MS }));
  const series = useQuery(trpc.meetings.series.queryOptions({ meetingId, minutes }, { refetchInterval: REFRESH_MS }));
  const issues = useQuery(trpc.meetings.issues.queryOptions({ meetingId, minutes }, { refetchInterval: REFRESH_MS }));

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of detail.data?.participants ?? []) map.set(p.id, p.displayName ?? p.endpointId);
    return map;
  }, [detail.data]);

  if (detail.isPending) return <Loading label="Loading the meeting…" />;
  if (detail.isLoadingError) return <ErrorNotice error={detail.error}>This meeting could not be loaded.</ErrorNotice>;
  const meeting = detail.data;
  const report = meeting.latestReport;
  const chartSeries = meeting.participants.map((p) => ({ key: p.id, name: names.get(p.id) ?? p.endpointId }));
  const samples = series.data?.samples ?? [];
  const mos = series.data?.mos ?? [];
  const bucketMs = (series.data?.bucketSeconds ?? 30) * 1000;

  return (
    <div className="space-y-6">
      <LiveStatus connection={liveStatus} />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard compact label="State" value={meeting.endedAt ? <Badge>ended</Badge> : <Badge tone="good">live</Badge>} />
        <StatCard compact label="Health score" value={report?.overallScore != null ? Math.round(report.overallScore) : "no data yet"} />
        <StatCard compact label="Participants" value={`${meeting.participants.filter((p) => !p.leftAt).length} now / ${meeting.participants.length} seen`} />
        <StatCard
          compact
          label="Bridge"
          value={
            !meeting.bridge ? "unknown" : fleetLinks ? (
              <Link className="text-sky-700 underline dark:text-sky-400" href={`/bridges#bridge-${meeting.bridge.name}`}>{meeting.bridge.name}</Link>
            ) : (
              meeting.bridge.name
            )
          }
        />
      </div>

      <Card title="Current issues">
        {!report ? (
          <EmptyState title="No report yet">
            <p>The analyzer reports on every live meeting every 30 seconds from its participants&apos; samples.</p>
          </EmptyState>
        ) : report.issues.length === 0 ? (
          <EmptyState title="No issues in the last 30 seconds" icon="✓">
            <p>Audio, video and network of every participant are within the thresholds (Settings).</p>
          </EmptyState>
        ) : (
          <ul aria-label="Current issues" className="space-y-3">
            {report.issues.map((issue, i) => (
              <IssueItem key={i} issue={issue} names={names} />
            ))}
          </ul>
        )}
      </Card>

      {report ? <ParticipantsTable participants={report.participants} /> : null}

      <section aria-label="Charts" className="grid gap-4 lg:grid-cols-2">
        <MetricChart title="Video sent" unit="kbps" series={chartSeries} data={pivot(samples, "videoSendBitrateKbps", bucketMs)} />
        <MetricChart title="Video received" unit="kbps" series={chartSeries} data={pivot(samples, "videoRecvBitrateKbps", bucketMs)} />
        <MetricChart title="Packet loss sent" unit="%" series={chartSeries} data={pivot(samples, "lossSendFraction", bucketMs, 100)} />
        <MetricChart title="Packet loss received" unit="%" series={chartSeries} data={pivot(samples, "lossRecvFraction", bucketMs, 100)} />
        <MetricChart title="Round-trip time" unit="ms" series={chartSeries} data={pivot(samples, "rttMs", bucketMs)} />
        <MetricChart title="Audio jitter" unit="ms" series={chartSeries} data={pivot(samples, "audioJitterMs", bucketMs)} />
        <MetricChart title="Frame rate sent" unit="fps" series={chartSeries} data={pivot(samples, "videoSendFrameRateFps", bucketMs)} />
        <MetricChart title="Resolution sent" unit="px high" series={chartSeries} data={pivot(samples, "videoSendHeightPx", bucketMs)} />
        <MetricChart title="Audio MOS received" unit="MOS" series={chartSeries} data={pivot(mos, "mosRecv", bucketMs)} domain={[1, 4.5]} />
        <MetricChart title="Audio MOS sent" unit="MOS" series={chartSeries} data={pivot(mos, "mosSend", bucketMs)} domain={[1, 4.5]} />
      </section>

      <Card title="Issue timeline">
        {issues.isPending ? (
          <Loading label="Loading issues…" />
        ) : issues.isLoadingError ? (
          <ErrorNotice error={issues.error}>Issues could not be loaded.</ErrorNotice>
        ) : issues.data.length === 0 ? (
          <EmptyState title="No issues in this window" icon="✓"><p>Every report of this meeting in the window shown was clean.</p></EmptyState>
        ) : (
          <ol aria-label="Issue timeline" className="space-y-2 text-sm">
            {issues.data.map((r) => (
              <li key={r.generatedAt.toISOString()} className="flex flex-wrap gap-x-3">
                <Time value={r.generatedAt} />
                <span>
                  {r.issues.map((issue) => `${issue.participantIds.map((id) => names.get(id) ?? "?").join(", ")}: ${issueKindLabel(issue.kind)} (${CAUSE_LABEL[issue.cause]})`).join("; ")}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}

function IssueItem({ issue, names }: { issue: Issue; names: Map<string, string> }) {
  const who = issue.participantIds.map((id) => names.get(id) ?? id).join(", ");
  return (
    <li className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={issue.severity} />
        <span className="font-medium">{who}</span>
        <span className="text-sm">{issueKindLabel(issue.kind)}</span>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">cause: <strong>{CAUSE_LABEL[issue.cause]}</strong></span>
      </div>
      <ul className="mt-2 list-disc pl-5 text-sm text-zinc-700 dark:text-zinc-300">
        {issue.evidence.map((e) => <li key={e}>{e}</li>)}
      </ul>
      <p className="mt-1 text-xs text-zinc-500">{issue.rule}</p>
    </li>
  );
}

function ParticipantsTable({ participants }: { participants: ParticipantAssessment[] }) {
  const verdictTone = { good: "good", poor: "bad", unclassified: "neutral" } as const;
  return (
    <Card title="Participants (last 30 s)">
      <Table label="Participants" head={["Participant", "Score", "MOS sent / received", "Jitsi quality", "Streams"]}>
        {participants.map((p) => (
          <tr key={p.participantId}>
            <Td className="font-medium">{p.displayName ?? p.endpointId}</Td>
            <Td className="tabular-nums">{p.score != null ? Math.round(p.score) : "—"}</Td>
            <Td className="tabular-nums">{p.send.audio ? p.send.audio.mos.toFixed(2) : "—"} / {p.recv.audio ? p.recv.audio.mos.toFixed(2) : "—"}</Td>
            <Td className="tabular-nums">{p.connectionQualityPercent != null ? `${Math.round(p.connectionQualityPercent)} %` : "—"}</Td>
            <Td>
              <span className="flex flex-wrap gap-1">
                {p.streams.map((s) => (
                  <span key={s.stream} title={s.rule}>
                    <Badge tone={verdictTone[s.verdict]}>{s.stream}: {s.verdict}</Badge>
                  </span>
                ))}
              </span>
            </Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
