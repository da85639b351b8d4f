import {
  checkParticipantRef,
  eventFromJitsi,
  figuresFromLibStats,
  figuresFromRtcStats,
  hasFigures,
  JITSI_EVENT_NAMES,
  mergeFigures,
  statsSnapshot,
  toEvent,
  toSample,
  type EventDetail,
  type EventKind,
  type ParticipantRef,
  type SampleFigures,
  type StatsSnapshot,
} from "./mapping.js";
import { BatchSender, consoleLogger, ingestUrl, type BatchSenderOptions, type BatchSenderStats, type ClearTimer, type Logger, type SetTimer } from "./sender.js";

/**
 * The Meetscope agent for a Jitsi Meet page: polls WebRTC getStats (or falls back to lib-jitsi-meet's own
 * connection stats), turns them into ingest samples and hands them to a BatchSender.
 */

export type RawStats = RTCStatsReport | Array<Record<string, unknown>>;

export interface MeetscopeAgentOptions {
  /** Meetscope's base URL, e.g. https://meetscope.example.com (the agent posts to {url}/api/v1/ingest) */
  url: string;
  /** An API token with the ingest scope */
  token: string;
  /** The Jitsi room name (lower-cased before sending, like Jitsi does) */
  room: string;
  /** The participant's endpoint id in the conference (lib-jitsi-meet: conference.myUserId()) */
  endpointId: string;
  /** Sent only when given: display names are personal data (see README) */
  displayName?: string;
  /** The conference's meeting_id UUID when known; ignored unless it is a UUID */
  jitsiMeetingId?: string;
  /** How often to sample; default 10 000 ms, like lib-jitsi-meet's pcStatsInterval */
  intervalMs?: number;
  /**
   * Returns the JVB peer connection's getStats() promise, or null when there is none right now (not joined
   * yet, P2P mode, …). A tick without raw stats uses the latest lib-jitsi-meet stats given to
   * recordLocalStats, if any arrived since the previous tick.
   */
  getStats: () => Promise<RawStats> | null;
  /** Batching and transport settings (fetch, flushIntervalMs, maxBufferItems, …) */
  sender?: Partial<Omit<BatchSenderOptions, "url" | "token">>;
  /** Add resources.memoryUsedMb from performance.memory (Chromium only, the page's JS heap); default true */
  reportJsHeap?: boolean;
  /** Flush with a keepalive fetch on `pagehide`; default true where window events exist */
  flushOnPageHide?: boolean;
  now?: () => number;
  setTimer?: SetTimer;
  clearTimer?: ClearTimer;
  log?: Logger;
}

export interface MeetscopeAgent {
  /** Stops polling, sends what is buffered once more (no retries), then stops the sender. Need not be awaited. */
  stop(): Promise<void>;
  recordEvent(kind: EventKind, detail?: EventDetail): void;
  /** Feed lib-jitsi-meet's `cq.local_stats_updated` object (the fallback and the source of connectionQuality) */
  recordLocalStats(stats: unknown): void;
  /** Change who we report as (new endpoint id after a rejoin, meeting id learnt after join, breakout room) */
  updateParticipant(patch: Partial<ParticipantRef>): void;
  /** Samples now instead of waiting for the next tick */
  sampleNow(): Promise<void>;
  flush(): Promise<void>;
  stats(): BatchSenderStats;
}

/** The page's JS heap in MB where the browser exposes it (Chromium's non-standard performance.memory). */
function jsHeapMb(): number | undefined {
  const perf = (globalThis as { performance?: { memory?: { usedJSHeapSize?: unknown } } }).performance;
  const used = perf?.memory?.usedJSHeapSize;
  return typeof used === "number" && Number.isFinite(used) ? used / (1024 * 1024) : undefined;
}

interface WindowEvents {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

function windowEvents(): WindowEvents | undefined {
  const g = globalThis as Partial<WindowEvents> & { document?: unknown };
  // `document` tells a page from Node, where globalThis may also have addEventListener (EventTarget)
  return typeof g.addEventListener === "function" && typeof g.removeEventListener === "function" && g.document !== undefined
    ? (g as WindowEvents)
    : undefined;
}

export function startMeetscopeAgent(options: MeetscopeAgentOptions): MeetscopeAgent {
  const checked = checkParticipantRef(options);
  if (!checked.ok) throw new Error(`Meetscope agent: ${checked.error}`);
  if (typeof options.getStats !== "function") throw new Error("Meetscope agent: getStats must be a function");
  let ref: ParticipantRef = checked.ref;

  const now = options.now ?? (() => Date.now());
  const log = options.log ?? consoleLogger;
  const setTimer: SetTimer = options.setTimer ?? ((cb, ms) => globalThis.setTimeout(cb, ms));
  const clearTimer: ClearTimer = options.clearTimer ?? ((h) => globalThis.clearTimeout(h as number));
  const intervalMs = Math.max(100, options.intervalMs ?? 10_000);
  const sender = new BatchSender({ setTimer, clearTimer, log, ...options.sender, url: ingestUrl(options.url), token: options.token });

  let previous: StatsSnapshot | null = null;
  let lib: { stats: unknown; atMs: number; used: boolean } | null = null;
  let sampling = false;
  let stopped = false;
  let timer: unknown;
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    log("warn", message);
  };

  async function rawSnapshot(): Promise<StatsSnapshot | null> {
    try {
      const pending = options.getStats();
      if (!pending) return null;
      const report = await pending;
      return report ? statsSnapshot(report, now()) : null;
    } catch (error) {
      warnOnce("getStats", `getStats failed (${error instanceof Error ? error.message : String(error)}); using lib-jitsi-meet stats if any`);
      return null;
    }
  }

  async function sample(): Promise<void> {
    // a getStats call that hangs must not stack up ticks
    if (sampling || stopped) return;
    sampling = true;
    try {
      const snapshot = await rawSnapshot();
      const atMs = snapshot?.takenAtMs ?? now();
      // lib-jitsi-meet emits every pcStatsInterval (10 s); older than two ticks means it stopped (e.g. left)
      const libFresh = lib !== null && atMs - lib.atMs <= 2 * intervalMs;
      let figures: SampleFigures | null = null;
      if (snapshot) {
        figures = figuresFromRtcStats(snapshot, previous);
        previous = snapshot;
        if (lib && libFresh) figures = mergeFigures(figures, figuresFromLibStats(lib.stats, ref.endpointId));
      } else {
        // Deltas across a gap (P2P, reconnect) would average over the gap; start over next time.
        previous = null;
        if (lib && libFresh && !lib.used) {
          figures = figuresFromLibStats(lib.stats, ref.endpointId);
          lib.used = true;
        }
      }
      if (!figures || !hasFigures(figures)) return;
      if (options.reportJsHeap !== false) {
        const heapMb = jsHeapMb();
        if (heapMb !== undefined) figures = mergeFigures(figures, { resources: { memoryUsedMb: heapMb } });
      }
      sender.enqueueSample(toSample(ref, figures, atMs));
    } catch (error) {
      // mapping bugs must not break the page's meeting
      warnOnce("sample", `sampling failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      sampling = false;
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimer(() => {
      void sample().finally(schedule);
    }, intervalMs);
  };
  // The first call only sets the baseline for rates (its sample carries gauges at most).
  void sample().finally(schedule);

  const events = options.flushOnPageHide === false ? undefined : windowEvents();
  const onPageHide = () => sender.flushWithKeepalive();
  events?.addEventListener("pagehide", onPageHide);

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimer(timer);
      events?.removeEventListener("pagehide", onPageHide);
      await sender.close();
    },
    recordEvent(kind, detail) {
      if (stopped) return;
      sender.enqueueEvent(toEvent(ref, kind, now(), detail));
      // the page is probably about to go away: do not wait for the next flush
      if (kind === "leave") void sender.flush();
    },
    recordLocalStats(stats) {
      lib = { stats, atMs: now(), used: false };
    },
    updateParticipant(patch) {
      const next = checkParticipantRef({ ...ref, ...patch });
      if (!next.ok) {
        warnOnce(`ref:${next.error}`, `ignoring participant update: ${next.error}`);
        return;
      }
      if (next.ref.endpointId !== ref.endpointId) previous = null;
      ref = next.ref;
    },
    sampleNow: sample,
    flush: () => sender.flush(),
    stats: () => sender.stats(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// jitsi-meet wiring

/**
 * DEPENDS ON JITSI-MEET INTERNALS (not a public API; checked against jitsi-meet's conference.js and
 * lib-jitsi-meet master of mid-2026, may break with any release):
 * - `APP.conference._room` is the JitsiConference (conference.js sets it with a "FIXME do not use this");
 *   fallback: the redux store's `APP.store.getState()["features/base/conference"].conference`.
 * - JitsiConference: `on/off` (Listenable), `myUserId()`, `getName()`, `getMeetingUniqueId()`, `isJoined()`,
 *   `isP2PActive()`, `jvbJingleSession.peerconnection` (TraceablePeerConnection) whose `.peerconnection` is
 *   the RTCPeerConnection.
 * - `APP.connection` is the JitsiConnection (`addEventListener/removeEventListener`).
 * - Display name (only with includeDisplayName): `APP.store.getState()["features/base/participants"].local.name`.
 * Everything is feature-detected and every callback is wrapped, so a jitsi-meet change degrades to "no data",
 * never to an exception in the meeting page.
 */
export interface JitsiMeetAttachOptions extends Omit<MeetscopeAgentOptions, "room" | "endpointId" | "getStats" | "displayName" | "jitsiMeetingId"> {
  /** Send the local display name (default false: Meetscope then shows endpoint ids only) */
  includeDisplayName?: boolean;
  /** Override how the display name is read (e.g. from your own app state) */
  getDisplayName?: () => string | undefined;
  /** How often to look for the conference object (it appears after the prejoin screen); default 1000 ms */
  watchIntervalMs?: number;
}

export interface JitsiMeetAttachment {
  stop(): void;
  /** The running agent, once a conference was found */
  agent(): MeetscopeAgent | null;
}

type Handler = (...args: unknown[]) => void;

const prop = (o: unknown, key: string): unknown => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[key] : undefined);

/** Calls o[name](...args) if it is a function; undefined otherwise or if it throws. */
function call(o: unknown, name: string, ...args: unknown[]): unknown {
  const f = prop(o, name);
  if (typeof f !== "function") return undefined;
  try {
    return (f as (...a: unknown[]) => unknown).apply(o, args);
  } catch {
    return undefined;
  }
}

const asString = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

function isThenable(v: unknown): v is Promise<RawStats> {
  return typeof prop(v, "then") === "function";
}

/** getStats of the JVB peer connection; null in P2P mode (media then bypasses the bridge) or before the session exists. */
export function jvbGetStats(conference: unknown): Promise<RawStats> | null {
  if (!conference || call(conference, "isP2PActive") === true) return null;
  const tpc = prop(prop(conference, "jvbJingleSession"), "peerconnection");
  const pc = prop(tpc, "peerconnection");
  const result = typeof prop(pc, "getStats") === "function" ? call(pc, "getStats") : call(tpc, "getStats");
  return isThenable(result) ? result : null;
}

function listen(target: unknown, name: string, handler: Handler): (() => void) | undefined {
  const on = typeof prop(target, "on") === "function" ? "on" : typeof prop(target, "addEventListener") === "function" ? "addEventListener" : undefined;
  if (!on) return undefined;
  call(target, on, name, handler);
  const off = on === "on" ? "off" : "removeEventListener";
  return () => void call(target, off, name, handler);
}

/**
 * Wires the agent to a jitsi-meet page: `attachToJitsiMeet(() => window.APP, { url, token })` (the APP
 * object itself works too when it already exists). Waits for the
 * conference, follows it when jitsi-meet replaces it (reconnect, breakout room), records join / leave /
 * reconnect / ice_failure and lib-jitsi-meet's local stats. Returns a handle; never throws.
 */
export function attachToJitsiMeet(app: unknown, options: JitsiMeetAttachOptions): JitsiMeetAttachment {
  // `app` may be a getter (() => window.APP): a module script in body.html can run before jitsi-meet's bundle
  const getApp = (): unknown => {
    if (typeof app !== "function") return app;
    try {
      return (app as () => unknown)();
    } catch {
      return undefined;
    }
  };
  const findConference = (): unknown => {
    const a = getApp();
    return prop(prop(a, "conference"), "_room") ?? prop(prop(call(prop(a, "store"), "getState"), "features/base/conference"), "conference");
  };
  const log = options.log ?? consoleLogger;
  const setTimer: SetTimer = options.setTimer ?? ((cb, ms) => globalThis.setTimeout(cb, ms));
  const clearTimer: ClearTimer = options.clearTimer ?? ((h) => globalThis.clearTimeout(h as number));
  const now = options.now ?? (() => Date.now());
  let agent: MeetscopeAgent | null = null;
  let conference: unknown = null;
  let unlisten: Array<() => void> = [];
  let joined = false;
  let interruptedAtMs: number | null = null;
  let stopped = false;
  let watchTimer: unknown;
  let lastWarning = "";
  const warn = (message: string) => {
    // the watcher runs every second: repeat a warning only when it changes
    if (message === lastWarning) return;
    lastWarning = message;
    log("warn", message);
  };

  const guard =
    (fn: Handler): Handler =>
    (...args) => {
      try {
        fn(...args);
      } catch (error) {
        warn(`event handler failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

  const displayName = (): string | undefined => {
    if (!options.includeDisplayName) return undefined;
    if (options.getDisplayName) return asString(options.getDisplayName());
    const state = call(prop(getApp(), "store"), "getState");
    return asString(prop(prop(prop(state, "features/base/participants"), "local"), "name"));
  };

  const participant = (conf: unknown): ParticipantRef | null => {
    const room = asString(call(conf, "getName"));
    const endpointId = asString(call(conf, "myUserId"));
    if (!room || !endpointId) return null;
    return { room, endpointId, displayName: displayName(), jitsiMeetingId: asString(call(conf, "getMeetingUniqueId")) };
  };

  const record = (name: string, args: unknown[]) => {
    const mapped = eventFromJitsi(name, args);
    if (!mapped || !agent) return;
    // a leave/ice failure before any join is the prejoin screen failing, not a participant leaving
    if (mapped.kind !== "join" && !joined) return;
    let detail = mapped.detail;
    if (mapped.kind === "reconnect") {
      if (interruptedAtMs === null) return;
      detail = { ...detail, interruptedMs: Math.max(0, now() - interruptedAtMs) };
      interruptedAtMs = null;
    }
    agent.recordEvent(mapped.kind, detail);
    if (mapped.kind === "leave") joined = false;
  };

  const bind = (conf: unknown) => {
    for (const u of unlisten) u();
    unlisten = [];
    const on = (target: unknown, name: string, handler: Handler) => {
      const off = listen(target, name, guard(handler));
      if (off) unlisten.push(off);
    };
    on(conf, JITSI_EVENT_NAMES.conferenceJoined, () => {
      // the meeting id and our endpoint id are final once joined
      const ref = participant(conf);
      if (ref) agent?.updateParticipant(ref);
      joined = true;
      record(JITSI_EVENT_NAMES.conferenceJoined, []);
    });
    for (const name of [JITSI_EVENT_NAMES.conferenceLeft, JITSI_EVENT_NAMES.conferenceKicked, JITSI_EVENT_NAMES.conferenceFailed, JITSI_EVENT_NAMES.connectionRestored]) {
      on(conf, name, (...args) => record(name, args));
    }
    on(conf, JITSI_EVENT_NAMES.connectionInterrupted, () => {
      interruptedAtMs ??= now();
    });
    on(conf, JITSI_EVENT_NAMES.localStatsUpdated, (stats) => {
      // in P2P mode these describe the direct connection, not the bridge: leave them out like getStats
      if (call(conf, "isP2PActive") !== true) agent?.recordLocalStats(stats);
    });
    on(prop(getApp(), "connection"), JITSI_EVENT_NAMES.xmppConnectionFailed, (...args) => record(JITSI_EVENT_NAMES.xmppConnectionFailed, args));
  };

  const watch = () => {
    if (stopped) return;
    try {
      const found = findConference();
      if (found && found !== conference) {
        const ref = participant(found);
        if (ref) {
          if (!agent) {
            agent = startMeetscopeAgent({ ...options, ...ref, getStats: () => jvbGetStats(conference) });
          } else {
            agent.updateParticipant(ref);
          }
          conference = found;
          bind(found);
          joined = call(found, "isJoined") === true;
          interruptedAtMs = null;
          // attached after the join (script loaded late): say so, the console then knows the time is approximate
          if (joined) agent.recordEvent("join", { attachedLate: true });
        }
      }
    } catch (error) {
      warn(`cannot attach to jitsi-meet: ${error instanceof Error ? error.message : String(error)}`);
    }
    watchTimer = setTimer(watch, Math.max(100, options.watchIntervalMs ?? 1000));
  };
  watch();

  return {
    stop() {
      stopped = true;
      clearTimer(watchTimer);
      for (const u of unlisten) u();
      unlisten = [];
      void agent?.stop().catch(() => undefined);
    },
    agent: () => agent,
  };
}
