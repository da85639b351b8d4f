import { formatMs, formatNumber, formatPercent } from "./format";
import type { Thresholds } from "./thresholds";
import type { Issue, IssueCause, StreamClassification } from "./types";
import { median, type BridgeWindow, type ParticipantWindow } from "./window";

/**
 * Issue detection and cause attribution. Exactly one cause per issue, the most specific the evidence supports:
 *
 * 1. A participant's network is "degraded" when it misses a Teams RTA "good" value (quality-thresholds.md §1.2:
 *    loss < 5 % either way, RTT < 500 ms, jitter < 30 ms) and "fine" when it meets all it reports.
 * 2. bridge — the degraded participants of one bridge "degrade together" (≥ 2 of them, or ≥ 50 % of those
 *    reporting) AND the bridge itself shows it: stress ≥ 0.8 (Jicofo's overload threshold, jitsi-apis.md §2.4), or
 *    its incoming/outgoing loss or RTT aggregate rose against the minutes before the window. One issue for all.
 * 3. participant-network — every other degraded participant, one issue each.
 *    Ties: a group symptom without bridge evidence stays per participant (a shared office uplink looks the same and
 *    we cannot see it; each issue carries its own figures); bridge evidence with a lone degraded participant
 *    stays per participant too, because the same bridge serves the others fine.
 * 4. participant-cpu — qualityLimitationReason "cpu" in ≥ 50 % of the samples while the network is not degraded.
 *    Tie with the network: network wins. Loss and RTT are measurements of the path, while the encoder's "cpu"
 *    label says only that the encoder gave up on quality; if the path is bad too, fixing the path comes first, and
 *    the CPU share is added to that issue's evidence instead of raising a second one.
 *
 * Severity: critical when a figure is beyond a Teams CQD Poor limit (audio: RTT > 500 ms, loss > 0.1, jitter
 * > 30 ms; for CPU: the video-send stream classified Poor), else warning.
 */

export interface AttributionParticipant {
  window: ParticipantWindow;
  /**
   * The same participant over the last part of the window only. A sudden problem is averaged away by the
   * healthy samples before it in the whole window; here it shows in the first sample that has it. The network
   * counts as degraded when either the whole window or this part misses the good values.
   */
  onset?: { window: ParticipantWindow; ms: number } | null;
  streams: StreamClassification[];
}

export interface AttributionInput {
  participants: readonly AttributionParticipant[];
  /** bridges with samples in the window, by bridgeId */
  bridges: ReadonlyMap<string, BridgeWindow>;
  thresholds: Thresholds;
}

export type NetworkMetricName = "loss-send" | "loss-recv" | "rtt" | "jitter";

export interface NetworkMetric {
  name: NetworkMetricName;
  value: number;
  /** misses the Teams RTA "good" value */
  notGood: boolean;
  /** beyond the Teams CQD audio Poor limit */
  poor: boolean;
}

export interface NetworkAssessment {
  status: "degraded" | "fine" | "unknown";
  /** the reported metrics, in a fixed order */
  metrics: NetworkMetric[];
}

export function assessNetwork(p: ParticipantWindow, t: Thresholds): NetworkAssessment {
  const good = t.rtaGood;
  const poor = t.cqdAudio;
  const candidates: Array<[NetworkMetricName, number | null, number, number]> = [
    ["loss-send", p.send.lossFraction, good.lossFractionBelow, poor.poorLossFractionAbove],
    ["loss-recv", p.recv.lossFraction, good.lossFractionBelow, poor.poorLossFractionAbove],
    ["rtt", p.rttMs, good.rttMsBelow, poor.poorRttMsAbove],
    ["jitter", p.recv.jitterMs, good.jitterMsBelow, poor.poorJitterMsAbove],
  ];
  const metrics: NetworkMetric[] = [];
  for (const [name, value, goodBelow, poorAbove] of candidates) {
    if (value === null) continue;
    metrics.push({ name, value, notGood: value >= goodBelow, poor: value > poorAbove });
  }
  const status = metrics.length === 0 ? "unknown" : metrics.some((m) => m.notGood) ? "degraded" : "fine";
  return { status, metrics };
}

export function detectIssues(input: AttributionInput): Issue[] {
  const t = input.thresholds;
  const assessed = input.participants.map((p) => withNetwork(p, t));
  const issues: Issue[] = [];

  for (const [bridgeId, group] of groupByBridge(assessed)) {
    const bridge = bridgeId === null ? undefined : input.bridges.get(bridgeId);
    const reporting = group.filter((p) => p.network.status !== "unknown");
    const degraded = group.filter((p) => p.network.status === "degraded");
    if (degraded.length === 0) continue;
    const together =
      degraded.length >= t.bridge.minDegradedParticipants || degraded.length / reporting.length >= t.bridge.minDegradedShare;
    const bridgeFacts = bridge ? bridgeEvidence(bridge, t) : [];
    if (together && bridge && bridgeFacts.length > 0) {
      issues.push(bridgeIssue(bridge, bridgeFacts, degraded, reporting.length, t));
    } else {
      const why = !bridge
        ? "no bridge samples to implicate a bridge"
        : bridgeFacts.length === 0
          ? `${bridge.label} stress ${formatNumber(bridge.stressLevel)} < ${t.bridge.stressedAtLevel}` +
            (bridge.baseline === null ? " (no earlier bridge samples to see a loss/RTT rise)" : " and its loss/RTT steady")
          : `the others on ${bridge.label} are within`;
      for (const p of degraded) issues.push(participantNetworkIssue(p, group, bridge, why, t));
    }
  }

  for (const p of assessed) {
    const cpuShare = p.window.cpuLimitedShare;
    if (cpuShare === null || cpuShare < t.cpu.limitedShare || p.network.status === "degraded") continue;
    issues.push(cpuIssue(p, cpuShare, t));
  }

  return issues.sort(compareIssues);
}

// ------------------------------------------------------------------------------------------------------ issues

type Assessed = AttributionParticipant & {
  network: NetworkAssessment;
  /** set when only the onset part of the window is degraded: the network figures are from its last `ms` */
  onsetMs: number | null;
};

function withNetwork(p: AttributionParticipant, t: Thresholds): Assessed {
  const whole = assessNetwork(p.window, t);
  if (whole.status !== "degraded" && p.onset) {
    const recent = assessNetwork(p.onset.window, t);
    if (recent.status === "degraded") return { ...p, network: recent, onsetMs: p.onset.ms };
  }
  return { ...p, network: whole, onsetMs: null };
}

function onsetEvidence(p: Assessed): string[] {
  return p.onsetMs === null ? [] : [`figures of the last ${formatNumber(p.onsetMs / 1000)} s: it just began, the window's means are still within`];
}

const CAUSE_ORDER: Record<IssueCause, number> = { bridge: 0, "participant-network": 1, "participant-cpu": 2 };

function compareIssues(a: Issue, b: Issue): number {
  const severity = (i: Issue) => (i.severity === "critical" ? 0 : 1);
  return (
    severity(a) - severity(b) ||
    CAUSE_ORDER[a.cause] - CAUSE_ORDER[b.cause] ||
    (a.participantIds[0] ?? "").localeCompare(b.participantIds[0] ?? "")
  );
}

function rtaGoodText(t: Thresholds): string {
  const g = t.rtaGood;
  return `Teams RTA good: loss < ${formatPercent(g.lossFractionBelow)}, RTT < ${formatMs(g.rttMsBelow)}, jitter < ${formatMs(g.jitterMsBelow)}`;
}

function cqdPoorText(t: Thresholds): string {
  const a = t.cqdAudio;
  return `Teams CQD audio Poor: RTT > ${formatMs(a.poorRttMsAbove)}, loss > ${a.poorLossFractionAbove}, jitter > ${formatMs(a.poorJitterMsAbove)}`;
}

function networkSeverity(participants: readonly Assessed[]): Issue["severity"] {
  return participants.some((p) => p.network.metrics.some((m) => m.poor)) ? "critical" : "warning";
}

function withCriticalRule(rule: string, severity: Issue["severity"], t: Thresholds): string {
  return severity === "critical" ? `${rule}; critical: beyond ${cqdPoorText(t)}` : rule;
}

function participantNetworkIssue(
  p: Assessed,
  group: readonly Assessed[],
  bridge: BridgeWindow | undefined,
  why: string,
  t: Thresholds,
): Issue {
  const others = group.filter((o) => o.window.participantId !== p.window.participantId);
  const severity = networkSeverity([p]);
  return {
    kind: "network-degraded",
    severity,
    participantIds: [p.window.participantId],
    cause: "participant-network",
    bridgeId: bridge?.bridgeId ?? null,
    evidence: [...onsetEvidence(p), ...metricEvidence(p, others), ...pathEvidence(p.window, t)],
    rule: withCriticalRule(`${rtaGoodText(t)}; missed by this participant, ${why} (Meetscope attribution)`, severity, t),
  };
}

function bridgeIssue(
  bridge: BridgeWindow,
  bridgeFacts: string[],
  degraded: readonly Assessed[],
  reportingCount: number,
  t: Thresholds,
): Issue {
  const severity = networkSeverity(degraded);
  const b = t.bridge;
  return {
    kind: "network-degraded",
    severity,
    participantIds: degraded.map((p) => p.window.participantId),
    cause: "bridge",
    bridgeId: bridge.bridgeId,
    evidence: [
      ...bridgeFacts,
      `${degraded.length} of ${reportingCount} participants on ${bridge.label} outside Teams RTA good values`,
      ...degraded.map((p) => {
        const onset = p.onsetMs === null ? "" : ` (in the last ${formatNumber(p.onsetMs / 1000)} s)`;
        return `${participantLabel(p.window)}: ${failingMetrics(p).map((m) => metricText(m)).join(", ")}${onset}`;
      }),
    ],
    rule: withCriticalRule(
      `Jicofo stress-threshold ${b.stressedAtLevel} (overloaded ⇔ stress ≥ ${b.stressedAtLevel}) or a loss/RTT aggregate rise ` +
        `(≥ ${formatPercent(b.lossRiseFraction)} / ${formatMs(b.rttRiseMs)}), with ≥ ${b.minDegradedParticipants} or ` +
        `≥ ${formatPercent(b.minDegradedShare)} of the bridge's participants missing ${rtaGoodText(t)}`,
      severity,
      t,
    ),
  };
}

function cpuIssue(p: Assessed, cpuShare: number, t: Thresholds): Issue {
  const w = p.window;
  const videoSend = p.streams.find((s) => s.stream === "video-send");
  const severity = videoSend?.verdict === "poor" ? "critical" : "warning";
  const network =
    p.network.metrics.length === 0
      ? "network not reported"
      : `network within Teams RTA good: ${p.network.metrics.map((m) => metricText(m)).join(", ")}`;
  const evidence = [`qualityLimitationReason "cpu" in ${formatPercent(cpuShare)} of samples`];
  const sending = sendingVideoText(w, t);
  if (sending) evidence.push(sending);
  if (severity === "critical" && videoSend) evidence.push(videoSend.rule);
  evidence.push(network);
  return {
    kind: "video-send-limited",
    severity,
    participantIds: [w.participantId],
    cause: "participant-cpu",
    bridgeId: w.bridgeId,
    evidence,
    rule:
      `WebRTC qualityLimitationReason = "cpu" in ≥ ${formatPercent(t.cpu.limitedShare)} of the window's samples ` +
      `(Meetscope; browsers expose no CPU gauge) while the network meets ${rtaGoodText(t)}`,
  };
}

// ------------------------------------------------------------------------------------------------------ evidence

/** "jvb2 stress 0.93 ≥ 0.8", "jvb2 incoming loss 4.1 % vs 0.3 % before the window", … — empty if not implicated. */
export function bridgeEvidence(bridge: BridgeWindow, t: Thresholds): string[] {
  const b = t.bridge;
  const facts: string[] = [];
  if (bridge.stressLevel >= b.stressedAtLevel) {
    facts.push(`${bridge.label} stress ${formatNumber(bridge.stressLevel)} ≥ ${b.stressedAtLevel}`);
  }
  const base = bridge.baseline;
  if (base === null) return facts;
  const lossRises: Array<[string, number, number]> = [
    ["incoming", bridge.incomingLossFraction, base.incomingLossFraction],
    ["outgoing", bridge.outgoingLossFraction, base.outgoingLossFraction],
  ];
  for (const [which, now, before] of lossRises) {
    if (now - before >= b.lossRiseFraction) {
      facts.push(`${bridge.label} ${which} loss ${formatPercent(now)} vs ${formatPercent(before)} before the window`);
    }
  }
  if (bridge.rttAggregateMs - base.rttAggregateMs >= b.rttRiseMs) {
    facts.push(
      `${bridge.label} RTT aggregate ${formatMs(bridge.rttAggregateMs)} vs ${formatMs(base.rttAggregateMs)} before the window`,
    );
  }
  return facts;
}

function failingMetrics(p: Assessed): NetworkMetric[] {
  return p.network.metrics.filter((m) => m.notGood);
}

/**
 * The participant's failing metrics, each against the median of the others on the same bridge, then any other
 * metric that is worse than that median (context such as "RTT 380 ms vs bridge median 40 ms").
 */
function metricEvidence(p: Assessed, others: readonly Assessed[]): string[] {
  const lines: string[] = [];
  const rest: string[] = [];
  for (const m of p.network.metrics) {
    const peerValues = others.flatMap((o) => o.network.metrics.filter((x) => x.name === m.name).map((x) => x.value));
    const peerMedian = median(peerValues);
    const text = metricText(m, peerMedian);
    if (m.notGood) lines.push(text);
    else if (peerMedian !== null && m.value > peerMedian) rest.push(text);
  }
  return [...lines, ...rest];
}

function metricText(m: NetworkMetric, peerMedian: number | null = null): string {
  const format = m.name === "loss-send" || m.name === "loss-recv" ? formatPercent : formatMs;
  const label = { "loss-send": "loss", "loss-recv": "loss", rtt: "RTT", jitter: "jitter" }[m.name];
  const suffix = m.name === "loss-send" ? " up" : m.name === "loss-recv" ? " down" : "";
  const vs = peerMedian === null ? "" : ` vs bridge median ${format(peerMedian)}`;
  return `${label} ${format(m.value)}${suffix}${vs}`;
}

/** How the participant reaches the bridge and what its encoder says, when that explains a bad path. */
function pathEvidence(w: ParticipantWindow, t: Thresholds): string[] {
  const lines: string[] = [];
  const protocol = w.transportProtocol === null ? "" : `/${w.transportProtocol.toUpperCase()}`;
  if (w.relayed === true) lines.push(`relayed over TURN${protocol}`);
  else if (w.transportProtocol === "tcp") lines.push("TCP transport (no UDP path)");
  if (w.bandwidthLimitedShare !== null && w.bandwidthLimitedShare > 0) {
    const available = w.availableSendBandwidthKbps === null ? "" : `, available send bandwidth ${formatNumber(w.availableSendBandwidthKbps)} kbps`;
    lines.push(`send quality limited by bandwidth in ${formatPercent(w.bandwidthLimitedShare)} of samples${available}`);
  }
  const audioKbps = w.send.audioBitrateKbps;
  if (audioKbps !== null && audioKbps <= t.rtaGood.audioBitrateKbpsAbove) {
    lines.push(`audio send ${formatNumber(audioKbps)} kbps, Teams RTA good > ${t.rtaGood.audioBitrateKbpsAbove} kbps`);
  }
  if (w.cpuLimitedShare !== null && w.cpuLimitedShare >= t.cpu.limitedShare) {
    lines.push(`also qualityLimitationReason "cpu" in ${formatPercent(w.cpuLimitedShare)} of samples`);
  }
  return lines;
}

/** "sending 180p at 6.9 fps, Teams RTA good ≥ 7 fps at ≤ 270p" */
function sendingVideoText(w: ParticipantWindow, t: Thresholds): string | null {
  const fps = w.send.videoFrameRateFps;
  const height = w.send.videoHeightPx;
  if (fps === null && height === null) return null;
  const at = height === null ? "" : `${height}p`;
  const rate = fps === null ? "" : ` at ${formatNumber(fps)} fps`;
  if (height === null) return `sending video${rate}`;
  const smallFrames = height <= 270;
  const goodFps = smallFrames ? t.rtaGood.videoFrameRateFpsUpTo270p : t.rtaGood.videoFrameRateFpsFrom360p;
  return `sending ${at}${rate}, Teams RTA good ≥ ${goodFps} fps at ${smallFrames ? "≤ 270p" : "≥ 360p"}`;
}

function participantLabel(w: ParticipantWindow): string {
  return w.displayName ? `${w.displayName} (${w.endpointId})` : w.endpointId;
}

function groupByBridge(participants: readonly Assessed[]): Map<string | null, Assessed[]> {
  const groups = new Map<string | null, Assessed[]>();
  for (const p of participants) {
    const list = groups.get(p.window.bridgeId) ?? [];
    list.push(p);
    groups.set(p.window.bridgeId, list);
  }
  return groups;
}
