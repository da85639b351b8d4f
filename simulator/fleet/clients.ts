/**
 * Simulated meeting clients: every intervalMs they report what each placed participant experiences (samples) and
 * what happened since the last report (join/leave/reconnect/ice_failure events) to Meetscope's ingest API,
 * POST {url}/api/v1/ingest with `authorization: Bearer <token>`.
 *
 * Delivery: each batch has a unique batchId and keeps it across retries (the API is idempotent per batchId).
 * 2xx → done; 429 → wait Retry-After (seconds or HTTP date) and retry; 408/5xx/network error → retry with
 * exponential backoff (1 s … 60 s); any other 4xx → dropped (retrying cannot help). The retry buffer is bounded:
 * when full the oldest batch is dropped and counted.
 */
import { randomBytes } from "node:crypto";
import {
  type IngestBatchInput,
  MAX_EVENTS_PER_BATCH,
  MAX_SAMPLES_PER_BATCH,
} from "../../server/ingest/schema";
import type { FleetEvent, FleetModel, Participant } from "./model";

type SampleInput = NonNullable<IngestBatchInput["samples"]>[number];
type EventInput = NonNullable<IngestBatchInput["events"]>[number];

const round = (x: number, digits = 0) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const fraction = (x: number) => Math.min(1, Math.max(0, round(x, 4)));
const kbps = (x: number) => Math.max(0, Math.round(x));
const ms = (x: number) => Math.min(600_000, Math.max(0, round(x, 1)));

/** One participant's client report at `sampledAtMs`, from the model's current metrics. */
export function participantSample(p: Participant, meetingId: string | undefined, sampledAtMs: number): SampleInput {
  const m = p.metrics;
  const sample: SampleInput = {
    room: p.room,
    endpointId: p.endpointId,
    displayName: p.displayName,
    sampledAt: new Date(sampledAtMs).toISOString(),
  };
  if (meetingId) sample.jitsiMeetingId = meetingId;
  const video: NonNullable<SampleInput["video"]> = {};
  if (m.videoSendKbps > 0) {
    video.send = { bitrateKbps: kbps(m.videoSendKbps), heightPx: m.videoSendHeightPx, frameRateFps: round(m.videoSendFps, 1), codec: p.codec };
  }
  if (m.videoRecvKbps > 0) {
    video.recv = { bitrateKbps: kbps(m.videoRecvKbps), heightPx: m.videoRecvHeightPx, frameRateFps: round(m.videoRecvFps, 1), codec: p.codec };
  }
  if (video.send || video.recv) sample.video = video;
  sample.audio = {
    ...(m.audioSendKbps > 0 ? { send: { bitrateKbps: kbps(m.audioSendKbps) } } : {}),
    recv: { bitrateKbps: kbps(m.audioRecvKbps), jitterMs: ms(m.jitterMs), concealedFraction: fraction(m.concealedFraction) },
  };
  sample.network = {
    rttMs: ms(m.rttMs),
    lossSendFraction: fraction(m.lossSendFraction),
    lossRecvFraction: fraction(m.lossRecvFraction),
    availableSendBandwidthKbps: kbps(m.availableSendBandwidthKbps),
    availableRecvBandwidthKbps: kbps(m.availableRecvBandwidthKbps),
    transport: p.transport,
    relayed: p.turnRelayed,
  };
  sample.resources = { qualityLimitationReason: m.qualityLimitationReason, memoryUsedMb: m.memoryUsedMb };
  sample.connectionQuality = m.connectionQuality;
  return sample;
}

export function eventInput(e: FleetEvent): EventInput {
  const out: EventInput = {
    room: e.room,
    endpointId: e.endpointId,
    displayName: e.displayName,
    kind: e.kind,
    occurredAt: new Date(e.atMs).toISOString(),
  };
  if (e.meetingId) out.jitsiMeetingId = e.meetingId;
  if (e.detail) out.detail = e.detail;
  return out;
}

/**
 * The batches for one report: samples of every placed participant plus the given events, split to the API's
 * per-batch limits. Pure: ids come from `nextBatchId`.
 */
export function buildBatches(model: FleetModel, events: FleetEvent[], sampledAtMs: number, nextBatchId: () => string): IngestBatchInput[] {
  const samples: SampleInput[] = [];
  for (const p of model.participants.values()) {
    if (p.bridge === null) continue;
    samples.push(participantSample(p, model.conferences.get(p.room)?.meetingId, sampledAtMs));
  }
  const evs = events.map(eventInput);
  const batches: IngestBatchInput[] = [];
  let si = 0;
  let ei = 0;
  while (si < samples.length || ei < evs.length) {
    const s = samples.slice(si, si + MAX_SAMPLES_PER_BATCH);
    const e = evs.slice(ei, ei + MAX_EVENTS_PER_BATCH);
    si += s.length;
    ei += e.length;
    batches.push({ batchId: nextBatchId(), samples: s, events: e });
  }
  return batches;
}

/** Retry-After: delta-seconds or an HTTP date; null when absent or unparseable. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === "") return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export interface IngestClientsOptions {
  model: FleetModel;
  /** Meetscope's base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  token: string;
  /** default 10 s (lib-jitsi-meet's pcStatsInterval) */
  intervalMs?: number;
  /** batches kept for retry (default 100) */
  maxBufferedBatches?: number;
  /** per-request timeout (default 10 s) */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
  /** backoff base for network/5xx errors (default 1 s; tests shorten it) */
  backoffBaseMs?: number;
}

export interface IngestClientsStats {
  batchesBuilt: number;
  batchesSent: number;
  batchesRejected: number;
  batchesDropped: number;
  retries: number;
  rateLimited: number;
  buffered: number;
  lastError: string | null;
}

export interface IngestClients {
  /** build a report now and try to deliver everything buffered */
  flush(): Promise<void>;
  stop(): Promise<void>;
  readonly stats: IngestClientsStats;
}

interface Pending {
  batch: IngestBatchInput;
  attempts: number;
}

export function startIngestClients(options: IngestClientsOptions): IngestClients {
  const intervalMs = options.intervalMs ?? 10_000;
  const maxBuffered = options.maxBufferedBatches ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const doFetch = options.fetchImpl ?? fetch;
  const now = options.now ?? Date.now;
  const endpoint = `${options.url.replace(/\/+$/, "")}/api/v1/ingest`;
  const runId = randomBytes(4).toString("hex");
  let seq = 0;
  const nextBatchId = () => `sim-${runId}-${(++seq).toString(36).padStart(6, "0")}`;

  const queue: Pending[] = [];
  let notBeforeMs = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let pumping: Promise<void> | null = null;
  let stopped = false;
  const stats: IngestClientsStats = {
    batchesBuilt: 0, batchesSent: 0, batchesRejected: 0, batchesDropped: 0, retries: 0, rateLimited: 0, buffered: 0,
    lastError: null,
  };

  const enqueue = (batches: IngestBatchInput[]) => {
    for (const batch of batches) queue.push({ batch, attempts: 0 });
    stats.batchesBuilt += batches.length;
    while (queue.length > maxBuffered) {
      queue.shift();
      stats.batchesDropped++;
    }
    stats.buffered = queue.length;
  };

  const scheduleRetry = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void pump();
    }, Math.max(0, notBeforeMs - now()));
    retryTimer.unref();
  };

  const sendOne = async (item: Pending): Promise<"done" | "retry"> => {
    let res: Response;
    try {
      res = await doFetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${options.token}` },
        body: JSON.stringify({ ...item.batch, sentAt: new Date(now()).toISOString() }), // on each attempt, as a client's clock reads it
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      stats.lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      item.attempts++;
      stats.retries++;
      notBeforeMs = now() + Math.min(60_000, backoffBaseMs * 2 ** (item.attempts - 1));
      return "retry";
    }
    // drain the body so the connection can be reused
    const text = await res.text().catch(() => "");
    if (res.ok) {
      stats.batchesSent++;
      return "done";
    }
    stats.lastError = `HTTP ${res.status}: ${text.slice(0, 200)}`;
    if (res.status === 429) {
      stats.rateLimited++;
      notBeforeMs = now() + (parseRetryAfterMs(res.headers.get("retry-after"), now()) ?? 5_000);
      return "retry";
    }
    if (res.status === 408 || res.status >= 500) {
      item.attempts++;
      stats.retries++;
      notBeforeMs = now() + Math.min(60_000, backoffBaseMs * 2 ** (item.attempts - 1));
      return "retry";
    }
    stats.batchesRejected++;
    return "done";
  };

  /** One delivery loop at a time; later calls join it. */
  const pump = (): Promise<void> => {
    if (pumping) return pumping;
    const run = async () => {
      while (!stopped && queue.length > 0) {
        if (now() < notBeforeMs) {
          scheduleRetry();
          return;
        }
        const item = queue[0] as Pending;
        const outcome = await sendOne(item);
        if (outcome === "done" && queue[0] === item) queue.shift();
        stats.buffered = queue.length;
      }
    };
    // .finally runs as a microtask, after `pumping` is assigned, even when run() returns without awaiting
    const p = run().finally(() => {
      pumping = null;
    });
    pumping = p;
    return p;
  };

  const report = () => {
    if (stopped) return;
    enqueue(buildBatches(options.model, options.model.drainEvents(), now(), nextBatchId));
  };

  const timer = setInterval(() => {
    report();
    void pump();
  }, intervalMs);
  timer.unref();

  return {
    stats,
    async flush() {
      report();
      await pump();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer);
      await pumping;
    },
  };
}
