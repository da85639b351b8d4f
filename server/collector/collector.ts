import pLimit from "p-limit";
import { Agent } from "undici";
import type { MeetscopeConfig } from "../config/env";
import type { Db } from "../db/client";
import { Prisma, type BridgeStatus, type Source } from "../db/generated/client";
import { createJicofoClient, createJvbClient, SourceError, type JicofoBridge, type JvbDebug, type JvbStats } from "../jitsi";
import { defaultBridgeName, statusFromJicofo, statusFromStats } from "./bridge-status";
import { afterPoll, initialHealth, type SourceHealth } from "./health";

/**
 * Polls every enabled source (JVB /colibri/stats, Jicofo /debug) on its own schedule over one keep-alive
 * connection pool. Each request has its own timeout and polls run concurrently up to a limit, so a slow or
 * dead source never delays the others. Samples and bookkeeping are written in batches once a second.
 */

const SCHEDULER_TICK_MS = 200;
const FLUSH_MS = 1000;
const SOURCE_RELOAD_MS = 10_000;
/** Every this many polls of a bridge, its /debug tells which meetings it hosts (cheap in its short form). */
const DEBUG_EVERY_POLLS = 6;

interface Tracked {
  source: Source;
  bridgeId: string | null;
  health: SourceHealth;
  inFlight: boolean;
  lastStatus: BridgeStatus | null;
  polls: number;
}

export interface CollectorOptions {
  db: Db;
  collector: MeetscopeConfig["collector"];
  sources: MeetscopeConfig["sources"];
  now?: () => number;
  log?: (message: string) => void;
  /** after new samples are written (live updates) */
  onFlush?: () => void;
}

export class Collector {
  private readonly db: Db;
  private readonly opts: CollectorOptions;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly agent: Agent;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly tracked = new Map<string, Tracked>();
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<void>>();
  private samples: Prisma.BridgeSampleCreateManyInput[] = [];
  private successes = new Map<string, Date>();
  private bridgeUpdates = new Map<string, { at: Date; region: string | null; version: string | null }>();
  private flushing: Promise<void> = Promise.resolve();
  /** polls completed, for benchmarks and the console's own timings */
  pollsCompleted = 0;

  constructor(opts: CollectorOptions) {
    this.opts = opts;
    this.db = opts.db;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((m) => console.log(`[collector] ${m}`));
    // One pool for all sources: keep-alive sockets per origin, bounded; undici does the pooling.
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: 4, connectTimeout: opts.collector.timeoutMs });
    this.limit = pLimit(opts.collector.concurrency);
  }

  async start(): Promise<void> {
    await syncEnvSources(this.db, this.opts.sources);
    await this.reloadSources();
    this.timers.push(setInterval(() => this.schedule(), SCHEDULER_TICK_MS));
    this.timers.push(setInterval(() => void this.flush(), FLUSH_MS));
    this.timers.push(setInterval(() => void this.reloadSources().catch((e: unknown) => this.log(`reloading sources failed: ${String(e)}`)), SOURCE_RELOAD_MS));
    this.log(`polling ${this.tracked.size} source(s) every ${this.opts.collector.intervalMs} ms`);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.allSettled([...this.running]);
    await this.flush();
    await this.agent.close();
  }

  /** Picks up sources added, removed, enabled or disabled in Settings. */
  async reloadSources(): Promise<void> {
    const sources = await this.db.source.findMany({ where: { enabled: true } });
    const seen = new Set<string>();
    for (const source of sources) {
      seen.add(source.id);
      const existing = this.tracked.get(source.id);
      if (existing) {
        existing.source = source;
        continue;
      }
      const bridgeId = source.kind === "JVB" ? await this.ensureBridge(source) : null;
      this.tracked.set(source.id, { source, bridgeId, health: initialHealth(this.now()), inFlight: false, lastStatus: null, polls: 0 });
    }
    for (const id of this.tracked.keys()) if (!seen.has(id)) this.tracked.delete(id);
  }

  private async ensureBridge(source: Source): Promise<string> {
    const name = source.bridgeName ?? defaultBridgeName(source.url);
    const bridge = await this.db.bridge.upsert({ where: { name }, create: { name, sourceId: source.id }, update: { sourceId: source.id } });
    return bridge.id;
  }

  private schedule(): void {
    const now = this.now();
    for (const t of this.tracked.values()) {
      if (t.inFlight || t.health.nextPollAtMs > now) continue;
      t.inFlight = true;
      const run = this.limit(() => this.poll(t)).finally(() => {
        t.inFlight = false;
        this.running.delete(run);
      });
      this.running.add(run);
    }
  }

  private async poll(t: Tracked): Promise<void> {
    const options = { dispatcher: this.agent, timeoutMs: this.opts.collector.timeoutMs };
    let outcome: { ok: true } | { ok: false; error: string };
    try {
      if (t.source.kind === "JVB") {
        const client = createJvbClient(t.source.url, options);
        this.recordJvb(t, await client.stats());
        if (t.polls++ % DEBUG_EVERY_POLLS === 0) {
          const debug = await client.debug().catch(() => null); // /debug may be off; the bridge is still up
          if (debug) await this.linkMeetings(t, debug);
        }
      } else {
        const debug = await createJicofoClient(t.source.url, options).debug();
        await this.recordJicofo(debug.bridges);
      }
      this.successes.set(t.source.id, new Date(this.now()));
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error: describe(error) };
    }
    this.pollsCompleted++;
    const { next, transition } = afterPoll(t.health, outcome, this.now(), this.opts.collector.intervalMs);
    t.health = next;
    if (!outcome.ok || transition) await this.recordHealth(t, transition);
  }

  private recordJvb(t: Tracked, stats: JvbStats): void {
    if (!t.bridgeId) return;
    const sampledAt = new Date(this.now());
    this.samples.push({
      bridgeId: t.bridgeId,
      sampledAt,
      stressLevel: stats.stressLevel,
      conferences: stats.conferences,
      endpoints: stats.endpoints,
      bitrateDownloadKbps: Math.round(stats.bitrateDownloadKbps),
      bitrateUploadKbps: Math.round(stats.bitrateUploadKbps),
      packetRateDownloadPps: Math.round(stats.packetRateDownloadPps),
      packetRateUploadPps: Math.round(stats.packetRateUploadPps),
      rttAggregateMs: stats.rttAggregateMs,
      incomingLossFraction: stats.incomingLossFraction,
      outgoingLossFraction: stats.outgoingLossFraction,
      healthy: stats.healthy ?? true,
      drain: stats.drain,
      gracefulShutdown: stats.gracefulShutdown,
      shuttingDown: stats.shuttingDown,
    });
    this.bridgeUpdates.set(t.bridgeId, { at: sampledAt, region: stats.region, version: stats.version });
    const { status, reason } = statusFromStats(stats);
    if (status !== t.lastStatus) {
      t.lastStatus = status;
      void this.setBridgeStatus(t.bridgeId, status, reason);
    }
  }

  /**
   * Which live meetings this bridge hosts, from its /debug conferences (MUC JID room@conference.domain and
   * Jitsi's meeting_id), so meetings show their bridge. A failure here is not the bridge being down.
   */
  private async linkMeetings(t: Tracked, debug: JvbDebug): Promise<void> {
    if (!t.bridgeId || debug.conferences.length === 0) return;
    const rooms = debug.conferences.map((c) => c.name?.split("@")[0]?.toLowerCase()).filter((r): r is string => Boolean(r));
    const meetingIds = debug.conferences.map((c) => c.meetingId).filter((id): id is string => Boolean(id));
    await this.db.meeting
      .updateMany({
        where: {
          endedAt: null,
          AND: [
            { OR: [{ jitsiMeetingId: { in: meetingIds } }, { room: { in: rooms } }] },
            // NOT (bridgeId = x) alone would skip meetings with no bridge yet (NULL compares to nothing)
            { OR: [{ bridgeId: null }, { bridgeId: { not: t.bridgeId } }] },
          ],
        },
        data: { bridgeId: t.bridgeId },
      })
      .catch((e: unknown) => this.log(`linking meetings to ${t.source.url} failed: ${String(e)}`));
  }

  private async recordJicofo(bridges: JicofoBridge[]): Promise<void> {
    const seenAt = new Date(this.now());
    // One read for all of Jicofo's bridges, then their writes in one batch: not a query per bridge per poll.
    const existing = new Map(
      (await this.db.bridge.findMany({ where: { name: { in: bridges.map((b) => b.name) } }, select: { name: true, sourceId: true, status: true } })).map((b) => [b.name, b]),
    );
    const writes = bridges.map((b) => {
      const jicofoState = b as unknown as Prisma.InputJsonValue;
      const known = existing.get(b.name);
      // Polled directly: its own figures decide the status; Jicofo's view rides along.
      if (known?.sourceId) return this.db.bridge.update({ where: { name: b.name }, data: { jicofoState, jicofoSeenAt: seenAt } });
      const { status, reason } = statusFromJicofo(b);
      const data = { region: b.region, version: b.version, status, statusReason: reason, jicofoState, jicofoSeenAt: seenAt };
      return this.db.bridge.upsert({
        where: { name: b.name },
        create: { name: b.name, ...data },
        update: known && known.status !== status ? { ...data, statusSince: seenAt } : data,
      });
    });
    if (writes.length) await this.db.$transaction(writes);
  }


  private async setBridgeStatus(bridgeId: string, status: BridgeStatus, reason: string | null): Promise<void> {
    await this.db.bridge
      .updateMany({ where: { id: bridgeId, NOT: { status, statusReason: reason } }, data: { status, statusReason: reason, statusSince: new Date(this.now()) } })
      .catch((e: unknown) => this.log(`bridge status update failed: ${String(e)}`));
  }

  private async recordHealth(t: Tracked, transition: { to: "up" | "down"; reason: string | null } | null): Promise<void> {
    const at = new Date(this.now());
    const data: Prisma.SourceUpdateInput = { consecutiveFailures: t.health.consecutiveFailures };
    if (t.health.lastError && t.health.consecutiveFailures > 0) Object.assign(data, { lastError: t.health.lastError, lastErrorAt: at });
    if (transition) {
      data.downSince = transition.to === "down" ? at : null;
      data.transitions = { create: { at, to: transition.to, reason: transition.reason } };
      this.log(`${t.source.url} is ${transition.to}${transition.reason ? `: ${transition.reason}` : ""}`);
      if (transition.to === "down" && t.bridgeId) {
        t.lastStatus = "DOWN";
        await this.setBridgeStatus(t.bridgeId, "DOWN", `not answering: ${transition.reason}`);
      }
      if (transition.to === "up") t.lastStatus = null; // the next sample sets the status
    }
    await this.db.source.update({ where: { id: t.source.id }, data }).catch((e: unknown) => this.log(`source update failed: ${String(e)}`));
  }

  /** Writes buffered samples and per-poll bookkeeping in a few statements, whatever the number of sources. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const samples = this.samples.splice(0);
      const successes = [...this.successes];
      this.successes.clear();
      const updates = [...this.bridgeUpdates];
      this.bridgeUpdates.clear();
      try {
        if (samples.length) {
          await this.db.bridgeSample.createMany({ data: samples });
          this.opts.onFlush?.();
        }
        if (successes.length) {
          await this.db.$executeRaw`UPDATE "Source" AS s SET "lastSuccessAt" = (u.at::timestamptz AT TIME ZONE 'UTC'), "consecutiveFailures" = 0
            FROM unnest(${successes.map(([id]) => id)}::text[], ${successes.map(([, at]) => at.toISOString())}::text[]) AS u(id, at) WHERE s.id = u.id`;
        }
        if (updates.length) {
          await this.db.$executeRaw`UPDATE "Bridge" AS b SET "lastSampleAt" = (u.at::timestamptz AT TIME ZONE 'UTC'), region = COALESCE(u.region, b.region), version = COALESCE(u.version, b.version)
            FROM unnest(${updates.map(([id]) => id)}::text[], ${updates.map(([, u]) => u.at.toISOString())}::text[],
                        ${updates.map(([, u]) => u.region)}::text[], ${updates.map(([, u]) => u.version)}::text[]) AS u(id, at, region, version)
            WHERE b.id = u.id`;
        }
      } catch (error) {
        this.log(`writing ${samples.length} samples failed: ${String(error)}`);
      }
    });
    return this.flushing;
  }
}

function describe(error: unknown): string {
  if (error instanceof SourceError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Sources from JVB_URLS / JICOFO_URLS are mirrored into the Source table (origin "env"). */
export async function syncEnvSources(db: Db, sources: MeetscopeConfig["sources"]): Promise<void> {
  const wanted = [
    ...sources.jvb.map((s) => ({ kind: "JVB" as const, url: s.url, bridgeName: s.bridgeName })),
    ...sources.jicofo.map((s) => ({ kind: "JICOFO" as const, url: s.url, bridgeName: null })),
  ];
  for (const s of wanted) {
    await db.source.upsert({ where: { url: s.url }, create: { ...s, origin: "env" }, update: { kind: s.kind, bridgeName: s.bridgeName, origin: "env" } });
  }
  await db.source.deleteMany({ where: { origin: "env", url: { notIn: wanted.map((s) => s.url) } } });
}
