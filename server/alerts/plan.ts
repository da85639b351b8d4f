import type { Issue } from "../analysis/types";

/**
 * Which alerts to send, as plain data: a new issue fires once per (meeting, issue), a firing one is re-sent
 * now and then (Alertmanager drops alerts not re-sent within its resolve_timeout), and one whose meeting was
 * analyzed again without it, or that ended, is resolved.
 */

export const RESEND_FIRING_MS = 60_000;

export interface AlertCandidate {
  key: string;
  meetingId: string;
  room: string;
  severity: Issue["severity"];
  summary: string;
  issue: Issue;
  /** display names of the participants, for people reading the alert */
  who: string[];
}

export interface OpenAlert {
  key: string;
  meetingId: string;
  severity: string;
  notifiedAt: Date | null;
}

export interface AlertPlan {
  fire: AlertCandidate[];
  resend: AlertCandidate[];
  resolve: OpenAlert[];
  /** still firing, nothing to send: only "last seen" moves */
  keep: AlertCandidate[];
}

const CAUSE = { "participant-network": "their network", bridge: "an overloaded bridge", "participant-cpu": "their CPU" } as const;

/** The same problem keeps the same key from one report to the next. */
export function alertKey(meetingId: string, issue: Issue): string {
  return `${meetingId}:${issue.kind}:${issue.cause}:${[...issue.participantIds].sort().join(",")}`;
}

export function alertCandidate(meeting: { id: string; room: string }, issue: Issue, names: ReadonlyMap<string, string>): AlertCandidate {
  const who = issue.participantIds.map((id) => names.get(id) ?? id);
  return {
    key: alertKey(meeting.id, issue),
    meetingId: meeting.id,
    room: meeting.room,
    severity: issue.severity,
    summary: `${meeting.room}: ${who.join(", ")} — ${issue.kind.replace("-", " ")}, caused by ${CAUSE[issue.cause]}`,
    issue,
    who,
  };
}

export function planAlerts(input: {
  open: readonly OpenAlert[];
  /** issues from the reports just made */
  candidates: readonly AlertCandidate[];
  /** meetings those reports cover: an open alert of one of them that is not among the candidates has cleared */
  analyzedMeetingIds: ReadonlySet<string>;
  /** meetings still live: an open alert of another meeting has ended with it */
  liveMeetingIds: ReadonlySet<string>;
  now: Date;
}): AlertPlan {
  const open = new Map(input.open.map((a) => [a.key, a]));
  const current = new Map(input.candidates.map((c) => [c.key, c]));
  const plan: AlertPlan = { fire: [], resend: [], resolve: [], keep: [] };
  for (const candidate of current.values()) {
    const existing = open.get(candidate.key);
    if (!existing || existing.notifiedAt === null || existing.severity !== candidate.severity) plan.fire.push(candidate);
    else if (input.now.getTime() - existing.notifiedAt.getTime() >= RESEND_FIRING_MS) plan.resend.push(candidate);
    else plan.keep.push(candidate);
  }
  for (const alert of open.values()) {
    if (current.has(alert.key)) continue;
    if (input.analyzedMeetingIds.has(alert.meetingId) || !input.liveMeetingIds.has(alert.meetingId)) plan.resolve.push(alert);
  }
  return plan;
}
