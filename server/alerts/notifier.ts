import pRetry from "p-retry";
import type { MeetingReport } from "../analysis/types";
import type { MeetscopeConfig } from "../config/env";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { alertCandidate, planAlerts, type AlertCandidate, type OpenAlert } from "./plan";

/**
 * The I/O around plan.ts: after each round of reports, fires new issues, re-sends firing ones, resolves cleared
 * ones, to a generic JSON webhook and/or Alertmanager's v2 API, and records each alert's state.
 */

const SEND_TIMEOUT_MS = 5_000;

export interface AlertTargets {
  webhookUrl: string | null;
  alertmanagerUrl: string | null;
  /** Meetscope's public URL, for links back to the meeting */
  publicUrl: string;
}

export function alertTargets(cfg: MeetscopeConfig): AlertTargets {
  return { ...cfg.alerts, publicUrl: cfg.publicUrl };
}

type Status = "firing" | "resolved";
interface Outgoing {
  status: Status;
  key: string;
  meetingId: string;
  room: string;
  severity: string;
  summary: string;
  startedAt: Date;
  resolvedAt: Date | null;
  issue: AlertCandidate["issue"] | null;
  who: string[];
}

/** The generic webhook body: one alert per request. */
export function genericBody(alert: Outgoing, publicUrl: string) {
  return {
    source: "meetscope",
    status: alert.status,
    key: alert.key,
    room: alert.room,
    meetingId: alert.meetingId,
    url: `${publicUrl}/meetings/${alert.meetingId}`,
    severity: alert.severity,
    summary: alert.summary,
    kind: alert.issue?.kind ?? null,
    cause: alert.issue?.cause ?? null,
    participants: alert.who,
    evidence: alert.issue?.evidence ?? [],
    rule: alert.issue?.rule ?? null,
    startedAt: alert.startedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
  };
}

/** Alertmanager's POST /api/v2/alerts body: a resolved alert is the same labels with endsAt in the past. */
export function alertmanagerBody(alerts: Outgoing[], publicUrl: string) {
  return alerts.map((a) => ({
    labels: {
      alertname: "MeetscopeQualityIssue",
      severity: a.severity,
      room: a.room,
      meeting_id: a.meetingId,
      ...(a.issue ? { kind: a.issue.kind, cause: a.issue.cause } : {}),
      key: a.key,
    },
    annotations: { summary: a.summary, description: (a.issue?.evidence ?? []).join("; "), rule: a.issue?.rule ?? "" },
    startsAt: a.startedAt.toISOString(),
    ...(a.resolvedAt ? { endsAt: a.resolvedAt.toISOString() } : {}),
    generatorURL: `${publicUrl}/meetings/${a.meetingId}`,
  }));
}

async function post(url: string, body: unknown): Promise<void> {
  await pRetry(
    async () => {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    },
    { retries: 2, minTimeout: 200, maxTimeout: 1000 },
  );
}

/** Sends to every configured target; returns the error, if any, to record on the alert. */
async function deliver(targets: AlertTargets, alerts: Outgoing[]): Promise<string | null> {
  const errors: string[] = [];
  if (targets.webhookUrl) {
    for (const alert of alerts) await post(targets.webhookUrl, genericBody(alert, targets.publicUrl)).catch((e: unknown) => errors.push(String(e instanceof Error ? e.message : e)));
  }
  if (targets.alertmanagerUrl && alerts.length) {
    await post(`${targets.alertmanagerUrl}/api/v2/alerts`, alertmanagerBody(alerts, targets.publicUrl)).catch((e: unknown) => errors.push(String(e instanceof Error ? e.message : e)));
  }
  return errors.length ? errors.join("; ") : null;
}

export async function processAlerts(db: Db, reports: readonly MeetingReport[], targets: AlertTargets, now = new Date()): Promise<{ fired: number; resolved: number }> {
  const meetingIds = reports.map((r) => r.meetingId);
  const [meetings, live, open] = await Promise.all([
    db.meeting.findMany({ where: { id: { in: meetingIds } }, select: { id: true, room: true } }),
    db.meeting.findMany({ where: { endedAt: null }, select: { id: true } }),
    db.alertState.findMany({ where: { resolvedAt: null } }),
  ]);
  const roomOf = new Map(meetings.map((m) => [m.id, m.room]));
  const names = new Map(reports.flatMap((r) => r.participants.map((p) => [p.participantId, p.displayName ?? p.endpointId] as const)));
  const candidates = reports.flatMap((r) => r.issues.map((issue) => alertCandidate({ id: r.meetingId, room: roomOf.get(r.meetingId) ?? "?" }, issue, names)));
  const plan = planAlerts({
    open: open as OpenAlert[],
    candidates,
    analyzedMeetingIds: new Set(meetingIds),
    liveMeetingIds: new Set(live.map((m) => m.id)),
    now,
  });

  const openByKey = new Map(open.map((a) => [a.key, a]));
  const outgoing = (c: AlertCandidate): Outgoing => ({ status: "firing", ...c, startedAt: openByKey.get(c.key)?.firstSeenAt ?? now, resolvedAt: null });
  const toSend: Outgoing[] = [
    ...[...plan.fire, ...plan.resend].map(outgoing),
    ...plan.resolve.map((a) => {
      const row = openByKey.get(a.key)!;
      return { status: "resolved" as const, key: a.key, meetingId: a.meetingId, room: row.room, severity: row.severity, summary: row.summary, startedAt: row.firstSeenAt, resolvedAt: now, issue: row.issue as unknown as AlertCandidate["issue"], who: [] };
    }),
  ];
  const sending = Boolean(targets.webhookUrl || targets.alertmanagerUrl);
  const error = sending && toSend.length ? await deliver(targets, toSend) : null;
  const notifiedAt = sending && !error ? now : null;

  for (const c of [...plan.fire, ...plan.resend, ...plan.keep]) {
    const sent = plan.keep.includes(c) ? undefined : notifiedAt;
    const data = { severity: c.severity, summary: c.summary, issue: c.issue as unknown as Prisma.InputJsonValue, lastSeenAt: now, ...(sent !== undefined ? { notifiedAt: sent, lastError: error } : {}) };
    await db.alertState.upsert({ where: { key: c.key }, create: { key: c.key, meetingId: c.meetingId, room: c.room, firstSeenAt: now, ...data }, update: { ...data, resolvedAt: null } });
  }
  if (plan.resolve.length) {
    await db.alertState.updateMany({ where: { key: { in: plan.resolve.map((a) => a.key) } }, data: { resolvedAt: now, lastError: error } });
  }
  return { fired: plan.fire.length, resolved: plan.resolve.length };
}
