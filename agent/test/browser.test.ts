import { existsSync, readFileSync } from "node:fs";
import { chromium, type Browser } from "@playwright/test";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { startIngestServer, waitFor, type IngestServer } from "./ingest-server";

/**
 * The agent in a real Chromium: two RTCPeerConnections on one page (fake camera and microphone) stand in for
 * a participant and the bridge, so the mapping meets the field names a real browser's getStats uses. The
 * page and the ingest endpoint share an origin (no CORS here; see README for cross-origin deployments).
 * Skipped where Chromium is not installed.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SRC = new URL("../src/", import.meta.url);

/** Serves agent/src/*.ts transpiled to ES modules, the way `tsc -p agent` would emit them. */
function agentModule(name: string): string | undefined {
  if (!/^[a-z]+\.js$/.test(name)) return undefined;
  const file = new URL(name.replace(/\.js$/, ".ts"), SRC);
  if (!existsSync(file)) return undefined;
  return ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } }).outputText;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>meetscope agent check</title>
<script type="module">
  import { startMeetscopeAgent } from "/agent/index.js";
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  const participant = new RTCPeerConnection();
  const bridge = new RTCPeerConnection();
  participant.onicecandidate = (e) => e.candidate && bridge.addIceCandidate(e.candidate);
  bridge.onicecandidate = (e) => e.candidate && participant.addIceCandidate(e.candidate);
  // Chrome counts received audio samples (concealment) only while the audio is played out
  bridge.ontrack = (e) => {
    if (e.track.kind !== "audio") return;
    const audio = document.createElement("audio");
    audio.srcObject = new MediaStream([e.track]);
    document.body.append(audio);
    void audio.play();
  };
  for (const track of stream.getTracks()) participant.addTrack(track, stream);
  await participant.setLocalDescription(await participant.createOffer());
  await bridge.setRemoteDescription(participant.localDescription);
  await bridge.setLocalDescription(await bridge.createAnswer());
  await participant.setRemoteDescription(bridge.localDescription);
  const common = { url: location.origin, token: "msi_browser_check", room: "Browser-Check", intervalMs: 500, sender: { flushIntervalMs: 300 } };
  window.sender = startMeetscopeAgent({ ...common, endpointId: "sender", getStats: () => participant.getStats() });
  window.receiver = startMeetscopeAgent({ ...common, endpointId: "receiver", getStats: () => bridge.getStats() });
  window.startMeetscopeAgent = startMeetscopeAgent;
  window.ready = true;
</script>`;

describe.skipIf(!existsSync(CHROMIUM))("the agent in Chromium", () => {
  let browser: Browser | undefined;
  let server: IngestServer | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("turns real getStats into schema-valid samples and flushes on page hide", { timeout: 30_000 }, async () => {
    server = await startIngestServer(undefined, (path) => {
      if (path === "/") return { contentType: "text/html", body: PAGE };
      if (path === "/favicon.ico") return { contentType: "image/x-icon", body: "" };
      const script = path.startsWith("/agent/") ? agentModule(path.slice("/agent/".length)) : undefined;
      return script ? { contentType: "text/javascript", body: script } : undefined;
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    // localhost is a secure context: getUserMedia and crypto.randomUUID work
    await page.goto(`http://localhost:${server.port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 10_000 });

    const from = (endpointId: string) => server!.acceptedSamples().filter((s) => s.endpointId === endpointId);
    const sending = () => from("sender").filter((s) => (s.video?.send?.bitrateKbps ?? 0) > 0 && (s.audio?.send?.bitrateKbps ?? 0) > 0);
    const receiving = () => from("receiver").filter((s) => (s.video?.recv?.bitrateKbps ?? 0) > 0 && s.audio?.recv?.concealedFraction !== undefined);
    await waitFor(() => sending().length >= 2 && receiving().length >= 2, 20_000, "samples with live media from both connections");

    expect(server.requests.every((r) => r.schemaError === null)).toBe(true);
    const sent = sending().at(-1)!;
    expect(sent.room).toBe("browser-check");
    expect(sent.video?.send?.heightPx).toBeGreaterThan(0);
    expect(sent.video?.send?.codec).toMatch(/^(VP8|VP9|H264|AV1)$/);
    expect(sent.network?.transport).toBe("udp");
    expect(sent.network?.relayed).toBe(false);
    expect(sent.network?.rttMs).toBeGreaterThanOrEqual(0);
    expect(sent.resources?.qualityLimitationReason).toMatch(/^(none|cpu|bandwidth|other)$/);
    const received = receiving().at(-1)!;
    expect(received.video?.recv?.heightPx).toBeGreaterThan(0);
    expect(received.network?.lossRecvFraction).toBeGreaterThanOrEqual(0);
    expect(received.audio?.recv?.concealedFraction).toBeGreaterThanOrEqual(0);

    // page hide: an agent whose timer would wait a minute still gets its buffer out with a keepalive fetch
    await page.evaluate((url) => {
      type Start = (o: Record<string, unknown>) => { recordEvent(kind: string, detail?: Record<string, string>): void };
      const start = (window as unknown as { startMeetscopeAgent: Start }).startMeetscopeAgent;
      const hider = start({ url, token: "msi_browser_check", room: "browser-check", endpointId: "hider", getStats: () => null, sender: { flushIntervalMs: 60_000 } });
      hider.recordEvent("reconnect", { via: "pagehide-check" });
    }, server.url.replace("127.0.0.1", "localhost"));
    await page.goto("about:blank");
    await waitFor(() => server!.acceptedEvents().some((e) => e.detail?.via === "pagehide-check"), 5000, "the keepalive flush");
    expect(errors).toEqual([]);
  });
});
