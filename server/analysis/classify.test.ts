import { describe, expect, it } from "vitest";
import { classifyStreams } from "./classify";
import { healthySample, NOW, participantSamples, WINDOW_MS, type SampleOverrides } from "./test-fixtures";
import { DEFAULT_THRESHOLDS, thresholdsSchema } from "./thresholds";
import type { ParticipantSampleInput, StreamClassification, StreamName } from "./types";
import { summarizeParticipants } from "./window";

const windowStart = new Date(NOW.getTime() - WINDOW_MS);

function classify(samples: ParticipantSampleInput[], thresholds = DEFAULT_THRESHOLDS): Record<StreamName, StreamClassification> {
  const [w] = summarizeParticipants(samples, windowStart, NOW);
  if (!w) throw new Error("no participant in the window");
  const streams = classifyStreams(w, thresholds);
  return Object.fromEntries(streams.map((s) => [s.stream, s])) as Record<StreamName, StreamClassification>;
}

const three = (overrides: SampleOverrides) => participantSamples("p1", overrides);

describe("Teams CQD audio classification", () => {
  it("a healthy participant: good both ways, every checked metric in the rule", () => {
    const s = classify(three({}));
    expect(s["audio-send"]).toEqual({
      stream: "audio-send",
      verdict: "good",
      // no jitter or concealment on the send side: clients measure those on what they receive
      rule: "Teams CQD audio: round trip ≤ 500 ms (was 40), packet loss rate ≤ 0.1 (was 0.002)",
    });
    expect(s["audio-recv"]).toEqual({
      stream: "audio-recv",
      verdict: "good",
      rule:
        "Teams CQD audio: round trip ≤ 500 ms (was 40), packet loss rate ≤ 0.1 (was 0.003), jitter ≤ 30 ms (was 5), " +
        "ratio concealed samples ≤ 0.07 (was 0.002)",
    });
  });

  it("packet loss rate > 0.1 makes the stream poor, with the observed value", () => {
    const s = classify(three({ lossSendFraction: 0.16 }));
    expect(s["audio-send"]).toMatchObject({ verdict: "poor", rule: "Teams CQD audio: packet loss rate > 0.1 (was 0.16)" });
    expect(s["audio-recv"].verdict).toBe("good");
  });

  it("uses the window average: 0.05, 0.1, 0.3 → mean 0.15 > 0.1", () => {
    // (0.05 + 0.1 + 0.3) / 3 = 0.45 / 3 = 0.15
    const samples = [0.05, 0.1, 0.3].map((lossRecvFraction, i) =>
      healthySample("p1", { lossRecvFraction, sampledAt: new Date(NOW.getTime() - (i + 1) * 9_000) }),
    );
    expect(classify(samples)["audio-recv"]).toMatchObject({
      verdict: "poor",
      rule: "Teams CQD audio: packet loss rate > 0.1 (was 0.15)",
    });
  });

  it("limits are strict: loss exactly 0.1 is not poor", () => {
    expect(classify(three({ lossRecvFraction: 0.1 }))["audio-recv"].verdict).toBe("good");
  });

  it("round trip > 500 ms makes both directions poor", () => {
    const s = classify(three({ rttMs: 620 }));
    expect(s["audio-send"]).toMatchObject({ verdict: "poor", rule: "Teams CQD audio: round trip > 500 ms (was 620)" });
    expect(s["audio-recv"]).toMatchObject({ verdict: "poor", rule: "Teams CQD audio: round trip > 500 ms (was 620)" });
  });

  it("jitter > 30 ms and concealed > 0.07 are receive-side rules and list every rule that fired", () => {
    const s = classify(three({ audioJitterMs: 45, audioConcealedFraction: 0.09 }));
    expect(s["audio-recv"]).toMatchObject({
      verdict: "poor",
      rule: "Teams CQD audio: jitter > 30 ms (was 45); ratio concealed samples > 0.07 (was 0.09)",
    });
    expect(s["audio-send"].verdict).toBe("good");
  });

  it("too few packets (our stand-in: fewer than 2 samples with audio) → unclassified", () => {
    const s = classify([healthySample("p1", { lossRecvFraction: 0.5 })]);
    expect(s["audio-recv"]).toMatchObject({
      verdict: "unclassified",
      rule: "Teams CQD audio: unclassified, too few packets (1 sample with audio, 2 needed as a stand-in for > 500 packets)",
    });
    // an admin who accepts one sample gets a verdict
    const oneSample = thresholdsSchema.parse({ cqdAudio: { minSamplesWithAudio: 1 } });
    expect(classify([healthySample("p1", { lossRecvFraction: 0.5 })], oneSample)["audio-recv"].verdict).toBe("poor");
  });

  it("a muted microphone is no audio stream at all", () => {
    const s = classify(three({ audioSendBitrateKbps: null, lossSendFraction: 0.5 }));
    expect(s["audio-send"]).toMatchObject({ verdict: "unclassified", rule: "Teams CQD audio: unclassified, no audio in the window" });
    expect(classify(three({ audioSendBitrateKbps: 0 }))["audio-send"].verdict).toBe("unclassified");
  });

  it("no metric reported → unclassified (CQD: no QoE report)", () => {
    const s = classify(three({ rttMs: null, lossSendFraction: null, lossRecvFraction: null, audioJitterMs: null, audioConcealedFraction: null }));
    expect(s["audio-recv"]).toMatchObject({
      verdict: "unclassified",
      rule: "Teams CQD audio: unclassified, no round trip, loss, jitter or concealment reported",
    });
  });
});

describe("Teams CQD video classification: first available metric decides", () => {
  it("frame rate ≥ 7 fps → good (frame loss is never collected, so frame rate comes first)", () => {
    expect(classify(three({}))["video-send"]).toEqual({
      stream: "video-send",
      verdict: "good",
      rule: "Teams CQD video (frame loss not collected): frame rate avg ≥ 7 fps (was 30)",
    });
  });

  it("frame rate < 7 fps → poor, even with no loss", () => {
    expect(classify(three({ videoSendFrameRateFps: 6.9 }))["video-send"]).toMatchObject({
      verdict: "poor",
      rule: "Teams CQD video (frame loss not collected): frame rate avg < 7 fps (was 6.9)",
    });
  });

  it("a frame rate decides even when the loss would be poor (CQD's order)", () => {
    expect(classify(three({ lossRecvFraction: 0.3 }))["video-recv"].verdict).toBe("good");
  });

  it("no frame rate → post-FEC loss > 0.15 decides (RTCP loss as the stand-in)", () => {
    expect(classify(three({ videoRecvFrameRateFps: null, lossRecvFraction: 0.2 }))["video-recv"]).toMatchObject({
      verdict: "poor",
      rule: "Teams CQD video (no frame loss or frame rate): post-FEC packet loss > 0.15 (was 0.2)",
    });
    expect(classify(three({ videoRecvFrameRateFps: null, lossRecvFraction: 0.15 }))["video-recv"]).toMatchObject({
      verdict: "good",
      rule: "Teams CQD video (no frame loss or frame rate): post-FEC packet loss ≤ 0.15 (was 0.15)",
    });
  });

  it("neither frame rate nor loss → unclassified", () => {
    expect(classify(three({ videoSendFrameRateFps: null, lossSendFraction: null }))["video-send"]).toMatchObject({
      verdict: "unclassified",
      rule: "Teams CQD video: unclassified, no frame loss, frame rate or packet loss reported",
    });
  });

  it("camera off → unclassified; a muted camera's 0 fps does not count as a frame rate", () => {
    expect(classify(three({ videoSendBitrateKbps: 0, videoSendFrameRateFps: 0 }))["video-send"]).toMatchObject({
      verdict: "unclassified",
      rule: "Teams CQD video: unclassified, no video in the window",
    });
    // two samples with video at 30 fps and one muted at 0 fps → mean over the video samples = 30
    const samples = [
      healthySample("p1", { sampledAt: new Date(NOW.getTime() - 25_000) }),
      healthySample("p1", { sampledAt: new Date(NOW.getTime() - 15_000) }),
      healthySample("p1", { sampledAt: new Date(NOW.getTime() - 5_000), videoSendBitrateKbps: 0, videoSendFrameRateFps: 0 }),
    ];
    expect(classify(samples)["video-send"]).toMatchObject({ verdict: "good", rule: expect.stringContaining("(was 30)") });
  });

  it("a single video sample is too short", () => {
    expect(classify([healthySample("p1")])["video-recv"]).toMatchObject({
      verdict: "unclassified",
      rule: "Teams CQD video: unclassified, too short (1 sample with video, 2 needed)",
    });
  });
});
