import { describe, expect, it } from "vitest";
import { buildMeetingReport, mosScore, participantScore } from "./report";
import {
  bridgeSamples,
  healthySample,
  NOW,
  participantSamples,
  SAMPLE_OFFSETS_MS,
  WINDOW_MS,
  type BridgeFixture,
  type SampleOverrides,
} from "./test-fixtures";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { BridgeSampleInput, MeetingReport, ParticipantSampleInput, StreamClassification } from "./types";

/**
 * Attribution scenarios and whole reports, built as plain data. A "healthy" participant has RTT 40 ms, loss 0.2 %
 * up / 0.3 % down, jitter 5 ms, 720p30 VP8 both ways (test-fixtures.ts).
 */

const STEADY = { rttAggregateMs: 30, incomingLossFraction: 0.002, outgoingLossFraction: 0.002 };
const BAD_NETWORK: SampleOverrides = {
  rttMs: 380,
  lossSendFraction: 0.16,
  lossRecvFraction: 0.12,
  audioJitterMs: 45,
  relayed: true,
  transportProtocol: "tcp",
};
const CPU_STARVED: SampleOverrides = {
  qualityLimitationReason: "cpu",
  videoSendHeightPx: 180,
  videoSendFrameRateFps: 6.9,
  videoSendBitrateKbps: 130,
};

function meeting(participants: Record<string, SampleOverrides>, bridge: BridgeFixture | null): {
  samples: ParticipantSampleInput[];
  bridgeSamples: BridgeSampleInput[];
} {
  const samples = Object.entries(participants).flatMap(([id, overrides]) =>
    participantSamples(id, { bridgeId: bridge?.bridgeId ?? null, ...overrides }),
  );
  return { samples, bridgeSamples: bridge ? bridgeSamples(bridge) : [] };
}

function report(
  data: { samples: ParticipantSampleInput[]; bridgeSamples: BridgeSampleInput[] },
  previousReport?: MeetingReport,
  onsetMs?: number,
): MeetingReport {
  return buildMeetingReport({
    meetingId: "m1",
    now: NOW,
    windowMs: WINDOW_MS,
    onsetMs,
    samples: data.samples,
    bridgeSamples: data.bridgeSamples,
    thresholds: DEFAULT_THRESHOLDS,
    previousReport,
  });
}

const sixOn = (bridgeId: string, special: Record<string, SampleOverrides> = {}) => {
  const ids = ["p1", "p2", "p3", "p4", "p5", "p6"];
  return Object.fromEntries(ids.map((id) => [id, { bridgeId, ...(special[id] ?? {}) }]));
};

describe("attribution: participant-network", () => {
  it("one participant on a bad network among good ones → that participant's network", () => {
    const r = report(meeting(sixOn("b1", { p3: BAD_NETWORK }), { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.4, baseline: STEADY }));
    expect(r.issues).toEqual([
      {
        kind: "network-degraded",
        // loss 0.16 > 0.1 and jitter 45 > 30: beyond Teams CQD Poor
        severity: "critical",
        participantIds: ["p3"],
        cause: "participant-network",
        bridgeId: "b1",
        evidence: [
          "loss 16 % up vs bridge median 0.2 %",
          "loss 12 % down vs bridge median 0.3 %",
          "jitter 45 ms vs bridge median 5 ms",
          "RTT 380 ms vs bridge median 40 ms",
          "relayed over TURN/TCP",
        ],
        rule:
          "Teams RTA good: loss < 5 %, RTT < 500 ms, jitter < 30 ms; missed by this participant, jvb1 stress 0.4 < 0.8 " +
          "and its loss/RTT steady (Meetscope attribution); critical: beyond Teams CQD audio Poor: RTT > 500 ms, loss > 0.1, jitter > 30 ms",
      },
    ]);
    expect(r.worstParticipantIds).toEqual(["p3"]);
    const p3 = r.participants.find((p) => p.participantId === "p3");
    expect(p3?.streams.find((s) => s.stream === "audio-send")).toMatchObject({
      verdict: "poor",
      rule: "Teams CQD audio: packet loss rate > 0.1 (was 0.16)",
    });
  });

  it("a lone degraded participant on a stressed bridge is still its own network: the bridge serves the others fine", () => {
    const r = report(meeting(sixOn("b1", { p3: BAD_NETWORK }), { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.93 }));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ cause: "participant-network", participantIds: ["p3"] });
    expect(r.issues[0]?.rule).toContain("the others on jvb1 are within");
  });

  it("two degraded on a bridge that shows nothing → one participant-network issue each", () => {
    const degraded: SampleOverrides = { lossSendFraction: 0.06, lossRecvFraction: 0.07 };
    const r = report(
      meeting(sixOn("b1", { p1: degraded, p2: degraded }), { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.3, baseline: STEADY }),
    );
    expect(r.issues.map((i) => [i.cause, i.participantIds, i.severity])).toEqual([
      // 6–7 % is outside Teams RTA good (< 5 %) but within CQD (≤ 0.1): a warning
      ["participant-network", ["p1"], "warning"],
      ["participant-network", ["p2"], "warning"],
    ]);
  });

  it("without any bridge samples nothing can implicate a bridge", () => {
    const r = report(meeting({ p1: BAD_NETWORK, p2: BAD_NETWORK, p3: {} }, null));
    expect(r.issues.map((i) => i.cause)).toEqual(["participant-network", "participant-network"]);
    expect(r.issues[0]?.rule).toContain("no bridge samples to implicate a bridge");
  });
});

describe("attribution: bridge", () => {
  const strained: SampleOverrides = { lossSendFraction: 0.07, lossRecvFraction: 0.08, audioJitterMs: 35, rttMs: 90 };

  it("a stressed bridge degrading everyone → one bridge issue for all of them", () => {
    const everyone = Object.fromEntries(Object.entries(sixOn("b2")).map(([id, o]) => [id, { ...o, ...strained }]));
    const r = report(meeting(everyone, { bridgeId: "b2", bridgeName: "jvb2", stressLevel: 0.93 }));
    expect(r.issues).toHaveLength(1);
    const issue = r.issues[0];
    expect(issue).toMatchObject({
      kind: "network-degraded",
      cause: "bridge",
      bridgeId: "b2",
      participantIds: ["p1", "p2", "p3", "p4", "p5", "p6"],
      // jitter 35 > 30 ms
      severity: "critical",
    });
    expect(issue?.evidence.slice(0, 3)).toEqual([
      "jvb2 stress 0.93 ≥ 0.8",
      "6 of 6 participants on jvb2 outside Teams RTA good values",
      "p1 (ep-p1): loss 7 % up, loss 8 % down, jitter 35 ms",
    ]);
    expect(issue?.rule).toMatch(/^Jicofo stress-threshold 0.8 \(overloaded ⇔ stress ≥ 0.8\)/);
    expect(r.worstParticipantIds).toHaveLength(3);
  });

  it("an unstressed bridge whose incoming loss rose, with 5 of 6 degraded → bridge", () => {
    const five = sixOn("b2", { p1: strained, p2: strained, p3: strained, p4: strained, p5: strained });
    const r = report(
      meeting(five, { bridgeId: "b2", bridgeName: "jvb2", stressLevel: 0.5, incomingLossFraction: 0.06, baseline: { ...STEADY, incomingLossFraction: 0.005 } }),
    );
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ cause: "bridge", participantIds: ["p1", "p2", "p3", "p4", "p5"] });
    expect(r.issues[0]?.evidence.slice(0, 2)).toEqual([
      "jvb2 incoming loss 6 % vs 0.5 % before the window",
      "5 of 6 participants on jvb2 outside Teams RTA good values",
    ]);
  });

  it("an RTT aggregate rise counts too", () => {
    const r = report(
      meeting(sixOn("b2", { p1: strained, p2: strained }), { bridgeId: "b2", bridgeName: "jvb2", stressLevel: 0.2, rttAggregateMs: 120, baseline: STEADY }),
    );
    expect(r.issues[0]).toMatchObject({ cause: "bridge", participantIds: ["p1", "p2"] });
    expect(r.issues[0]?.evidence[0]).toBe("jvb2 RTT aggregate 120 ms vs 30 ms before the window");
  });
});

describe("attribution: a problem that just began (onset window)", () => {
  const ONSET_MS = 10_000;
  /** the participant's samples at −25 s, −15 s and −5 s, each with its own overrides */
  const over = (id: string, ...overrides: SampleOverrides[]) =>
    SAMPLE_OFFSETS_MS.map((offsetMs, i) => healthySample(id, { ...overrides[i], sampledAt: new Date(NOW.getTime() - offsetMs) }));
  const healthyOthers = ["p1", "p2", "p4"].flatMap((id) => participantSamples(id));
  const steadyBridge = bridgeSamples({ bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.3, baseline: STEADY });

  it("one bad sample at the end: the window's mean loss (4.1 %) is within 5 %, its last 10 s (12 %) are not → an issue, marked as just begun", () => {
    const samples = [...healthyOthers, ...over("p3", {}, {}, { lossSendFraction: 0.12 })];
    const withOnset = report({ samples, bridgeSamples: steadyBridge }, undefined, ONSET_MS);
    expect(withOnset.issues).toHaveLength(1);
    expect(withOnset.issues[0]).toMatchObject({ cause: "participant-network", participantIds: ["p3"], severity: "critical" });
    expect(withOnset.issues[0]?.evidence).toEqual([
      "figures of the last 10 s: it just began, the window's means are still within",
      "loss 12 % up vs bridge median 0.2 %",
    ]);
    // the MOS and stream classes stay on the whole window
    const p3 = withOnset.participants.find((p) => p.participantId === "p3");
    expect(p3?.send.lossFraction).toBeCloseTo((0.002 + 0.002 + 0.12) / 3, 6);
    // without an onset window the same samples raise nothing
    expect(report({ samples, bridgeSamples: steadyBridge }).issues).toEqual([]);
  });

  it("a problem the whole window already shows is reported on the window's means, without the onset note", () => {
    const bad = { lossSendFraction: 0.16 };
    const samples = [...healthyOthers, ...over("p3", bad, {}, {})]; // mean 5.5 %: degraded; the last 10 s are fine
    const r = report({ samples, bridgeSamples: steadyBridge }, undefined, ONSET_MS);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.evidence).toEqual(["loss 5.5 % up vs bridge median 0.2 %"]);
    expect(r.issues[0]?.severity).toBe("warning");
  });

  it("participants who degrade together in the last 10 s on a stressed bridge → one bridge issue that says so", () => {
    const strained = { lossSendFraction: 0.08 };
    const samples = [
      ...["p1", "p2"].flatMap((id) => over(id, {}, {}, strained)),
      ...["p3", "p4"].flatMap((id) => participantSamples(id)),
    ];
    const r = report({ samples, bridgeSamples: bridgeSamples({ bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.9 }) }, undefined, ONSET_MS);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ cause: "bridge", participantIds: ["p1", "p2"] });
    expect(r.issues[0]?.evidence).toContain("p1 (ep-p1): loss 8 % up (in the last 10 s)");
  });

  it("an onset window as long as the window changes nothing", () => {
    const samples = [...healthyOthers, ...over("p3", {}, {}, { lossSendFraction: 0.12 })];
    expect(report({ samples, bridgeSamples: steadyBridge }, undefined, WINDOW_MS).issues).toEqual([]);
  });
});

describe("attribution: participant-cpu", () => {
  it("a CPU-starved participant on a fine network → participant-cpu", () => {
    const r = report(meeting(sixOn("b1", { p2: CPU_STARVED }), { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.4 }));
    expect(r.issues).toEqual([
      {
        kind: "video-send-limited",
        // video-send classified Poor: 6.9 fps < 7
        severity: "critical",
        participantIds: ["p2"],
        cause: "participant-cpu",
        bridgeId: "b1",
        evidence: [
          'qualityLimitationReason "cpu" in 100 % of samples',
          "sending 180p at 6.9 fps, Teams RTA good ≥ 7 fps at ≤ 270p",
          "Teams CQD video (frame loss not collected): frame rate avg < 7 fps (was 6.9)",
          "network within Teams RTA good: loss 0.2 % up, loss 0.3 % down, RTT 40 ms, jitter 5 ms",
        ],
        rule:
          'WebRTC qualityLimitationReason = "cpu" in ≥ 50 % of the window\'s samples (Meetscope; browsers expose no CPU gauge) ' +
          "while the network meets Teams RTA good: loss < 5 %, RTT < 500 ms, jitter < 30 ms",
      },
    ]);
    expect(r.worstParticipantIds).toEqual(["p2"]);
  });

  it("CPU-limited at 360p 15 fps is a warning", () => {
    const r = report(
      meeting({ p1: { qualityLimitationReason: "cpu", videoSendHeightPx: 360, videoSendFrameRateFps: 15 }, p2: {} }, { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.4 }),
    );
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ cause: "participant-cpu", severity: "warning" });
    expect(r.issues[0]?.evidence[1]).toBe("sending 360p at 15 fps, Teams RTA good ≥ 25 fps at ≥ 360p");
  });

  it("CPU-limited once in three samples is below the 50 % share", () => {
    const samples = [
      ...participantSamples("p2"),
      healthySample("p1", { sampledAt: new Date(NOW.getTime() - 25_000), qualityLimitationReason: "cpu" }),
      healthySample("p1", { sampledAt: new Date(NOW.getTime() - 15_000) }),
      healthySample("p1", { sampledAt: new Date(NOW.getTime() - 5_000) }),
    ];
    expect(report({ samples, bridgeSamples: [] }).issues).toEqual([]);
  });

  it("CPU-limited on a bad network → the network issue only, the CPU share as evidence", () => {
    const r = report(meeting(sixOn("b1", { p2: { ...CPU_STARVED, ...BAD_NETWORK } }), { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.4 }));
    expect(r.issues.map((i) => i.cause)).toEqual(["participant-network"]);
    expect(r.issues[0]?.evidence).toContain('also qualityLimitationReason "cpu" in 100 % of samples');
  });
});

describe("meeting report", () => {
  it("a healthy meeting: no issues, no worst participants, a high score computed by hand", () => {
    const r = report(meeting({ p1: {}, p2: {}, p3: {}, p4: {} }, { bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.3, baseline: STEADY }));
    expect(r.issues).toEqual([]);
    expect(r.worstParticipantIds).toEqual([]);
    // audio-send: Le = 40 + 0 + 10 = 50 → R = 94.768 − 1.25 = 93.518, loss 0.2 % → − 0.5 → 93.018
    //   MOS = 1 + 3.25563 + 7e-6·(93.018·33.018 = 3071.268324)·6.982 = 1 + 3.25563 + 0.150105 = 4.405735
    //   score = 100·3.405735/3.5 = 97.3067
    // audio-recv: Le = 40 + 10 + 10 = 60 → R = 94.768 − 1.5 = 93.268, loss 0.3 % → − 0.75 → 92.518
    //   MOS = 1 + 3.23813 + 7e-6·(92.518·32.518 = 3008.500324)·7.482 = 1 + 3.23813 + 0.157567 = 4.395697
    //   score = 100·3.395697/3.5 = 97.0199
    // video both ways good → 100, 100; participant = (97.3067 + 97.0199 + 100 + 100)/4 = 98.58 → 98.6
    expect(r.overallScore).toBe(98.6);
    const p1 = r.participants[0];
    expect(p1?.send.audio?.mos).toBeCloseTo(4.405735, 5);
    expect(p1?.send.audio?.assumptions).toEqual(["jitter not measured; treated as 0 ms"]);
    expect(p1?.recv.audio?.mos).toBeCloseTo(4.395697, 5);
    expect(p1?.streams.map((s) => s.verdict)).toEqual(["good", "good", "good", "good"]);
    // Jitsi: 720p VP8 target 2200; upload 2100 video + 40 audio → 100·2140/2200 = 97.27
    expect(p1?.connectionQualityPercent).toBeCloseTo(97.27, 2);
    expect(p1?.reportedConnectionQualityPercent).toBe(100);
    expect(r).toMatchObject({
      meetingId: "m1",
      generatedAt: NOW,
      windowStart: new Date(NOW.getTime() - WINDOW_MS),
      windowEnd: NOW,
    });
  });

  it("an empty window has no score, not 100", () => {
    const r = report({ samples: [], bridgeSamples: [] });
    expect(r).toMatchObject({ overallScore: null, participants: [], issues: [], worstParticipantIds: [] });
    // samples from an earlier window do not count either
    const stale = participantSamples("p1").map((s) => ({ ...s, sampledAt: new Date(s.sampledAt.getTime() - 60_000) }));
    expect(report({ samples: stale, bridgeSamples: [] }).overallScore).toBeNull();
  });

  it("a window too short to classify anything has no score either", () => {
    const r = report({ samples: [healthySample("p1"), healthySample("p2")], bridgeSamples: [] });
    expect(r.participants).toHaveLength(2);
    expect(r.participants.every((p) => p.score === null)).toBe(true);
    expect(r.overallScore).toBeNull();
  });

  it("the previous report limits the connection quality's rise to +2 points/s", () => {
    const data = meeting({ p1: {}, p2: {} }, null);
    const first = report(data);
    const previous: MeetingReport = {
      ...first,
      generatedAt: new Date(NOW.getTime() - 10_000),
      participants: first.participants.map((p) => ({ ...p, connectionQualityPercent: 40 })),
    };
    // min(97.27, 40 + 10 s · 2) = 60
    expect(report(data, previous).participants[0]?.connectionQualityPercent).toBe(60);
  });

  it("worst participants: at most 3, lowest score first", () => {
    const r = report(
      meeting(
        {
          a: { lossSendFraction: 0.06 }, // warning-level network
          b: BAD_NETWORK, // several poor streams
          c: { lossRecvFraction: 0.2 }, // audio-recv poor
          d: CPU_STARVED,
          e: {},
        },
        null,
      ),
    );
    const scores = Object.fromEntries(r.participants.map((p) => [p.participantId, p.score]));
    expect(r.worstParticipantIds).toHaveLength(3);
    expect(r.worstParticipantIds[0]).toBe("b");
    const listed = r.worstParticipantIds.map((id) => scores[id] ?? 0);
    expect([...listed].sort((x, y) => x - y)).toEqual(listed);
    expect(r.worstParticipantIds).not.toContain("e");
  });

  it("invalid values are ignored and noted, not fatal", () => {
    const samples = participantSamples("p1", { rttMs: -1 });
    const r = report({ samples, bridgeSamples: [] });
    expect(r.participants[0]?.notes).toEqual(["3 invalid values ignored (NaN, negative or a fraction above 1)"]);
    // no RTT left → no MOS
    expect(r.participants[0]?.send.audio).toBeNull();
  });
});

describe("overall score formula", () => {
  const stream = (name: StreamClassification["stream"], verdict: StreamClassification["verdict"]): StreamClassification => ({
    stream: name,
    verdict,
    rule: "test",
  });

  it("poor streams weigh 3×, unclassified ones not at all", () => {
    // audio-send good at MOS 4.5 → 100; audio-recv poor → 0 (weight 3); video-send good → 100; video-recv ignored
    // (1·100 + 3·0 + 1·100) / (1 + 3 + 1) = 200 / 5 = 40
    const score = participantScore(
      [stream("audio-send", "good"), stream("audio-recv", "poor"), stream("video-send", "good"), stream("video-recv", "unclassified")],
      { mos: 4.5, r: 100, dominant: "none", assumptions: [] },
      null,
      3,
    );
    expect(score).toBe(40);
  });

  it("a good audio stream scores by its MOS", () => {
    // MOS 4.374392 (RTT 100, jitter 10, no loss; mos.test.ts) → 100·3.374392/3.5 = 96.4112 → 96.4
    const score = participantScore([stream("audio-recv", "good")], null, { mos: 4.374392, r: 91.518, dominant: "none", assumptions: [] }, 3);
    expect(score).toBe(96.4);
  });

  it("no classified stream → null", () => {
    expect(participantScore([stream("audio-send", "unclassified")], null, null, 3)).toBeNull();
  });

  it("MOS 1 → 0, 4.5 → 100, linear between", () => {
    expect(mosScore(1)).toBe(0);
    expect(mosScore(4.5)).toBe(100);
    expect(mosScore(2.75)).toBe(50); // (2.75 − 1)/3.5 = 0.5
  });
});
