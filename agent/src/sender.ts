import type { IngestEventBody, IngestSampleBody } from "./mapping.js";

/**
 * Buffers samples and events and posts them to Meetscope's POST /api/v1/ingest in batches.
 *
 * - Bounded buffer: beyond `maxBufferItems` the oldest item is dropped and counted (a page must never grow
 *   without bound while Meetscope is unreachable).
 * - Flush every `flushIntervalMs`, or at once when `flushAtSamples` samples are waiting.
 * - Batches hold at most 1000 samples and 1000 events (the server's limit).
 * - Each batch gets a `batchId` (crypto.randomUUID) when it is formed and keeps it across retries, so the
 *   server accepts a retried batch once even when the first attempt did reach it.
 * - Network errors, timeouts, 408 and 5xx: retry with exponential backoff and jitter. 429: wait
 *   `Retry-After` seconds (plus up to 20 % jitter, because every page of a deployment shares one token and
 *   would otherwise come back in the same second). 413: split the batch in half and send the halves.
 *   Other 4xx (400, 401, 403, 404, 415, …): the same body can never succeed, so it is dropped and the status
 *   logged once.
 * - One batch is in flight at a time, which keeps the order and the load on the server predictable.
 *
 * Fetch and timers are injectable so the class runs in Node tests against a real HTTP server.
 */

export const MAX_SAMPLES_PER_BATCH = 1000;
export const MAX_EVENTS_PER_BATCH = 1000;

export interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FetchInitLike {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** Timer handles are opaque: browsers return numbers, Node returns objects. */
export type SetTimer = (callback: () => void, ms: number) => unknown;
export type ClearTimer = (handle: unknown) => void;

export type LogLevel = "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string) => void;

export interface BatchSenderOptions {
  /** The full ingest URL, e.g. ingestUrl("https://meetscope.example.com") */
  url: string;
  /** An API token with the ingest scope */
  token: string;
  /** Default 20 000 ms; see README for the trade-off with the per-token rate limit */
  flushIntervalMs?: number;
  /** Flush at once when this many samples wait; default 500 */
  flushAtSamples?: number;
  /** Buffer cap (samples + events not yet formed into a batch); default 2000 (≈ 5 h of one page's samples, < 2 MB) */
  maxBufferItems?: number;
  /** At most 1000 (the server limit); smaller values are for tests */
  maxSamplesPerBatch?: number;
  maxEventsPerBatch?: number;
  /** First retry delay before jitter; doubles per attempt; default 2000 ms */
  retryBaseMs?: number;
  /** Longest delay between retries; default 60 000 ms */
  retryMaxMs?: number;
  /** Abort a request after this long and treat it as a network error; default 15 000 ms */
  requestTimeoutMs?: number;
  fetch?: FetchLike;
  setTimer?: SetTimer;
  clearTimer?: ClearTimer;
  /** Returns [0, 1); for jitter. Default Math.random */
  random?: () => number;
  /** Returns a unique batch id; default crypto.randomUUID */
  newBatchId?: () => string;
  log?: Logger;
}

export interface BatchSenderStats {
  /** Items waiting in the buffer (not yet in a batch) */
  bufferedItems: number;
  /** Items in formed batches that are being sent or wait for a retry */
  pendingItems: number;
  sentBatches: number;
  sentSamples: number;
  sentEvents: number;
  /** Batches the server said it already had (a retry of a batch that had arrived) */
  duplicateBatches: number;
  /** Dropped from the buffer because it was full (oldest first) */
  droppedSamples: number;
  droppedEvents: number;
  /** Dropped because the server refused them (400/401/403/… or a single item still too large) */
  rejectedSamples: number;
  rejectedEvents: number;
  /** Retries scheduled (network error, 408, 429, 5xx) */
  retries: number;
  lastStatus?: number;
  lastError?: string;
}

type Item = { kind: "sample"; value: IngestSampleBody } | { kind: "event"; value: IngestEventBody };

interface Batch {
  batchId: string;
  items: Item[];
  /** Failed attempts so far, for the backoff */
  attempts: number;
}

type Outcome = { kind: "done" } | { kind: "retry"; delayMs: number } | { kind: "split" };

/** Meetscope's ingest URL from its base URL (with or without a trailing slash or path prefix). */
export function ingestUrl(meetscopeUrl: string): string {
  return `${meetscopeUrl.replace(/\/+$/, "")}/api/v1/ingest`;
}

/** Seconds (the only form Meetscope sends) or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function defaultBatchId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  // randomUUID needs a secure context; Jitsi pages are https (getUserMedia requires it), but do not fail on http
  return `b-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** Logs to the browser console with a [meetscope] prefix. */
export const consoleLogger: Logger = (level, message) => {
  if (typeof console !== "undefined") console[level](`[meetscope] ${message}`);
};

export class BatchSender {
  private readonly url: string;
  private readonly token: string;
  private readonly flushIntervalMs: number;
  private readonly flushAtSamples: number;
  private readonly maxBufferItems: number;
  private readonly maxSamples: number;
  private readonly maxEvents: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly requestTimeoutMs: number;
  private readonly fetchFn: FetchLike;
  private readonly setTimer: SetTimer;
  private readonly clearTimer: ClearTimer;
  private readonly random: () => number;
  private readonly newBatchId: () => string;
  private readonly log: Logger;

  private buffer: Item[] = [];
  private bufferedSamples = 0;
  /** Formed batches, oldest first; the head is the one being sent or waiting for its retry */
  private pending: Batch[] = [];
  private running: Promise<void> | null = null;
  private flushTimer: unknown = undefined;
  private sleepTimer: unknown = undefined;
  private wakeSleeper: (() => void) | null = null;
  private abortInFlight: (() => void) | null = null;
  private stopped = false;
  /** Set by close(): every batch gets one more attempt, failures are dropped instead of retried */
  private finalPass = false;
  private readonly loggedStatuses = new Set<number | string>();
  private readonly counters: Omit<BatchSenderStats, "bufferedItems" | "pendingItems"> = {
    sentBatches: 0,
    sentSamples: 0,
    sentEvents: 0,
    duplicateBatches: 0,
    droppedSamples: 0,
    droppedEvents: 0,
    rejectedSamples: 0,
    rejectedEvents: 0,
    retries: 0,
  };

  constructor(options: BatchSenderOptions) {
    if (!options.url) throw new Error("BatchSender: url is required");
    if (!options.token) throw new Error("BatchSender: token is required");
    this.url = options.url;
    this.token = options.token;
    this.flushIntervalMs = Math.max(10, options.flushIntervalMs ?? 20_000);
    this.flushAtSamples = Math.max(1, options.flushAtSamples ?? 500);
    this.maxBufferItems = Math.max(1, options.maxBufferItems ?? 2000);
    this.maxSamples = Math.min(MAX_SAMPLES_PER_BATCH, Math.max(1, options.maxSamplesPerBatch ?? MAX_SAMPLES_PER_BATCH));
    this.maxEvents = Math.min(MAX_EVENTS_PER_BATCH, Math.max(1, options.maxEventsPerBatch ?? MAX_EVENTS_PER_BATCH));
    this.retryBaseMs = Math.max(1, options.retryBaseMs ?? 2000);
    this.retryMaxMs = Math.max(this.retryBaseMs, options.retryMaxMs ?? 60_000);
    this.requestTimeoutMs = Math.max(1, options.requestTimeoutMs ?? 15_000);
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    const fetchFn = options.fetch ?? (globalFetch ? (url: string, init: FetchInitLike) => globalFetch(url, init) : undefined);
    if (!fetchFn) throw new Error("BatchSender: no fetch available; pass options.fetch");
    this.fetchFn = fetchFn;
    this.setTimer = options.setTimer ?? ((cb, ms) => globalThis.setTimeout(cb, ms));
    // `as number` only satisfies the DOM typing; Node's clearTimeout takes its Timeout objects the same way
    this.clearTimer = options.clearTimer ?? ((h) => globalThis.clearTimeout(h as number));
    this.random = options.random ?? Math.random;
    this.newBatchId = options.newBatchId ?? defaultBatchId;
    this.log = options.log ?? consoleLogger;
    this.scheduleFlush();
  }

  enqueueSample(sample: IngestSampleBody): void {
    this.enqueue({ kind: "sample", value: sample });
  }

  enqueueEvent(event: IngestEventBody): void {
    this.enqueue({ kind: "event", value: event });
  }

  stats(): BatchSenderStats {
    return {
      ...this.counters,
      bufferedItems: this.buffer.length,
      pendingItems: this.pending.reduce((n, b) => n + b.items.length, 0),
    };
  }

  /** Sends everything now; resolves when the buffer is empty or the sender stopped (waits through retries). */
  async flush(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Stops timers and aborts the request in flight; what is still buffered is discarded. */
  stop(): void {
    this.stopped = true;
    this.clearTimer(this.flushTimer);
    this.wake();
    this.abortInFlight?.();
  }

  /** One last attempt for everything buffered or pending (no retries), then stop. For page leave / agent stop. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.finalPass = true;
    this.clearTimer(this.flushTimer);
    this.wake();
    await this.flush();
    this.stopped = true;
  }

  /**
   * Page-hide flush: one fetch with `keepalive: true`, which browsers let outlive the page. Keepalive bodies
   * are capped at 64 KiB, so only as many buffered items as fit in ~60 KB go; no retry (the page is gone).
   * sendBeacon is not used because it cannot carry the Authorization header the ingest endpoint needs.
   */
  flushWithKeepalive(maxBodyBytes = 60_000): void {
    if (this.stopped) return;
    // Only the buffer: a batch in flight or waiting for its retry keeps its own batchId and path.
    const items: Item[] = [];
    let bytes = 64;
    let samples = 0;
    let events = 0;
    for (const item of this.buffer) {
      const size = JSON.stringify(item.value).length + 1;
      if (bytes + size > maxBodyBytes) break;
      if (item.kind === "sample" ? samples >= this.maxSamples : events >= this.maxEvents) break;
      if (item.kind === "sample") samples++;
      else events++;
      items.push(item);
      bytes += size;
    }
    if (!items.length) return;
    this.buffer.splice(0, items.length);
    this.bufferedSamples -= samples;
    const body = this.bodyOf({ batchId: this.newBatchId(), items, attempts: 0 });
    this.fetchFn(this.url, { method: "POST", headers: this.headers(), body, keepalive: true }).catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------------------------

  private enqueue(item: Item): void {
    if (this.stopped) return;
    this.buffer.push(item);
    if (item.kind === "sample") this.bufferedSamples++;
    while (this.buffer.length > this.maxBufferItems) {
      const dropped = this.buffer.shift();
      if (dropped?.kind === "sample") {
        this.bufferedSamples--;
        this.counters.droppedSamples++;
      } else if (dropped) {
        this.counters.droppedEvents++;
      }
    }
    if (this.bufferedSamples >= this.flushAtSamples) this.kick();
  }

  private scheduleFlush(): void {
    if (this.stopped || this.finalPass) return;
    this.flushTimer = this.setTimer(() => {
      this.kick();
      this.scheduleFlush();
    }, this.flushIntervalMs);
  }

  /** Starts the send loop unless it is already running (sending, or sleeping before a retry). */
  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const batch = this.pending[0] ?? this.formBatch();
      if (!batch) return;
      const outcome = await this.attempt(batch);
      if (this.stopped) return;
      if (outcome.kind === "done") {
        this.pending.shift();
      } else if (outcome.kind === "split") {
        const half = Math.ceil(batch.items.length / 2);
        // new bodies need new ids: the server never stored the refused one, and each half retries on its own
        this.pending.splice(0, 1, this.newBatch(batch.items.slice(0, half)), this.newBatch(batch.items.slice(half)));
      } else if (this.finalPass) {
        this.pending.shift();
        this.countRejected(batch);
      } else {
        batch.attempts++;
        this.counters.retries++;
        await this.sleep(outcome.delayMs);
      }
    }
  }

  /** Takes the oldest items, up to the per-batch limits, in order (an item over a limit ends the batch). */
  private formBatch(): Batch | undefined {
    if (!this.buffer.length) return undefined;
    let samples = 0;
    let events = 0;
    let n = 0;
    for (const item of this.buffer) {
      if (item.kind === "sample" ? samples >= this.maxSamples : events >= this.maxEvents) break;
      if (item.kind === "sample") samples++;
      else events++;
      n++;
    }
    const batch = this.newBatch(this.buffer.splice(0, n));
    this.bufferedSamples -= samples;
    this.pending.push(batch);
    return batch;
  }

  private newBatch(items: Item[]): Batch {
    return { batchId: this.newBatchId(), items, attempts: 0 };
  }

  private headers(): Record<string, string> {
    return { "content-type": "application/json", authorization: `Bearer ${this.token}` };
  }

  private bodyOf(batch: Batch): string {
    const samples: IngestSampleBody[] = [];
    const events: IngestEventBody[] = [];
    for (const item of batch.items) {
      if (item.kind === "sample") samples.push(item.value);
      else events.push(item.value);
    }
    // sentAt on every attempt: Meetscope corrects the batch's times by this clock's offset from its own
    return JSON.stringify({ batchId: batch.batchId, sentAt: new Date().toISOString(), samples, events });
  }

  private backoffMs(attempts: number): number {
    const capped = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(attempts, 30));
    // "equal jitter": at least half the backoff, so retries still spread out but never hammer
    return capped / 2 + (this.random() * capped) / 2;
  }

  private async attempt(batch: Batch): Promise<Outcome> {
    let timedOut = false;
    const controller = typeof AbortController === "function" ? new AbortController() : undefined;
    const timeout = this.setTimer(() => {
      timedOut = true;
      controller?.abort();
    }, this.requestTimeoutMs);
    this.abortInFlight = () => controller?.abort();
    let status: number;
    let text = "";
    let retryAfter: string | null = null;
    try {
      const res = await this.fetchFn(this.url, { method: "POST", headers: this.headers(), body: this.bodyOf(batch), signal: controller?.signal });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      // read the body even when unused, so the connection is released
      text = await res.text().catch(() => "");
    } catch (error) {
      const message = timedOut ? `timed out after ${this.requestTimeoutMs} ms` : error instanceof Error ? error.message : String(error);
      this.counters.lastError = message;
      this.logOnce("network", "warn", `cannot reach ${this.url} (${message}); will retry`);
      return { kind: "retry", delayMs: this.backoffMs(batch.attempts) };
    } finally {
      this.clearTimer(timeout);
      this.abortInFlight = null;
    }
    this.counters.lastStatus = status;

    if (status >= 200 && status < 300) {
      this.counters.sentBatches++;
      for (const item of batch.items) {
        if (item.kind === "sample") this.counters.sentSamples++;
        else this.counters.sentEvents++;
      }
      if (/"duplicate"/.test(text)) this.counters.duplicateBatches++;
      return { kind: "done" };
    }
    if (status === 429) {
      const waitMs = parseRetryAfterMs(retryAfter, Date.now());
      this.logOnce(429, "warn", `rate limited by Meetscope (429); waiting ${retryAfter ?? "?"} s. Raise INGEST_RATE_LIMIT_PER_MINUTE or flushIntervalMs.`);
      return { kind: "retry", delayMs: waitMs !== undefined ? waitMs * (1 + this.random() * 0.2) : this.backoffMs(batch.attempts) };
    }
    if (status === 408 || status >= 500) {
      this.logOnce(status, "warn", `Meetscope answered ${status}; will retry`);
      return { kind: "retry", delayMs: this.backoffMs(batch.attempts) };
    }
    if (status === 413 && batch.items.length > 1) {
      this.logOnce(413, "info", `batch of ${batch.items.length} items too large (413); splitting`);
      return { kind: "split" };
    }
    // 400/401/403/404/415/… (or a single item still too large): this body can never succeed
    const reason = text.slice(0, 300);
    this.logOnce(status, "error", `Meetscope refused a batch with ${status}${reason ? `: ${reason}` : ""}; dropping it`);
    this.countRejected(batch);
    return { kind: "done" };
  }

  private countRejected(batch: Batch): void {
    for (const item of batch.items) {
      if (item.kind === "sample") this.counters.rejectedSamples++;
      else this.counters.rejectedEvents++;
    }
  }

  private logOnce(key: number | string, level: LogLevel, message: string): void {
    if (this.loggedStatuses.has(key)) return;
    this.loggedStatuses.add(key);
    this.log(level, message);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeSleeper = resolve;
      this.sleepTimer = this.setTimer(() => this.wake(), ms);
    });
  }

  private wake(): void {
    this.clearTimer(this.sleepTimer);
    const wake = this.wakeSleeper;
    this.wakeSleeper = null;
    wake?.();
  }
}
