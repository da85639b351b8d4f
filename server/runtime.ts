import { alertTargets, processAlerts } from "./alerts/notifier";
import { analyzeLiveMeetings, ANALYSIS_WINDOW_MS } from "./analyzer/analyzer";
import { rollUpParticipantSamples } from "./analyzer/chart-buckets";
import { connectLiveBus, onLiveEvent, publish } from "./live/bus";
import { isWatched } from "./live/watchers";
import { expireCacheEntries } from "./cache/cache";
import { Collector } from "./collector/collector";
import { closeSilentMeetings, expireHistory, expireRawSamples, rollUpBridgeSamples } from "./collector/housekeeping";
import { LeaderElector } from "./collector/leader";
import { config } from "./config/env";
import { db } from "./db/client";

/**
 * The background loops of one Meetscope process, started once from instrumentation.ts. Only the elected
 * leader runs them (server/collector/leader.ts); other replicas just serve pages and the API.
 */

const HOUSEKEEPING_MS = 60_000;
/** A watched meeting is re-analyzed at most this often when its samples arrive. */
const WATCHED_ANALYSIS_MIN_INTERVAL_MS = 3_000;
const globalRuntime = globalThis as unknown as { meetscopeRuntime?: { stop: () => Promise<void> } };

export function startBackground(): void {
  if (globalRuntime.meetscopeRuntime) return;
  const cfg = config();
  const log = (m: string) => console.log(`[meetscope] ${m}`);
  let collector: Collector | null = null;
  let housekeeping: NodeJS.Timeout | null = null;
  let analyzer: NodeJS.Timeout | null = null;

  const runHousekeeping = async () => {
    const now = new Date();
    try {
      await rollUpBridgeSamples(db(), now);
      const rawCutoff = new Date(now.getTime() - cfg.collector.rawRetentionHours * 3_600_000);
      await rollUpParticipantSamples(db(), rawCutoff); // before the expiry below, which deletes up to the same cut-off
      await expireRawSamples(db(), now, cfg.collector.rawRetentionHours);
      await expireHistory(db(), now, cfg.historyRetentionDays);
      await closeSilentMeetings(db(), now);
      await expireCacheEntries(db(), now);
    } catch (error) {
      log(`housekeeping failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  let leading = false;
  // Alerts are sent by the leader only, one round at a time, so an issue is announced once.
  let alerting: Promise<unknown> = Promise.resolve();
  const analyze = async (meetingIds?: string[]) => {
    try {
      const reports = await analyzeLiveMeetings(db(), new Date(), meetingIds ? { meetingIds } : {});
      for (const report of reports) publish({ type: "report", meetingId: report.meetingId });
      // Alerts follow the leader's 30-second rounds only, one steady rhythm for every meeting: the reports made
      // for watched meetings run on every replica, as often as samples arrive.
      if (leading && !meetingIds) {
        alerting = alerting.then(() => processAlerts(db(), reports, alertTargets(cfg))).catch((e: unknown) => log(`alerts failed: ${e instanceof Error ? e.message : String(e)}`));
      }
    } catch (e) {
      log(`analysis failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // Every replica analyzes the meetings its own visitors are watching, as soon as their samples arrive.
  const lastQuickAnalysis = new Map<string, number>();
  const pending = new Set<string>();
  let quickTimer: NodeJS.Timeout | null = null;
  const QUICK_GATHER_MS = 500; // gather the batches of one round of client reports
  const scheduleQuickAnalysis = (delayMs: number) => {
    if (quickTimer) return;
    quickTimer = setTimeout(() => {
      quickTimer = null;
      const now = Date.now();
      const dueAt = (id: string) => (lastQuickAnalysis.get(id) ?? 0) + WATCHED_ANALYSIS_MIN_INTERVAL_MS;
      // an entry older than the interval says nothing any more: drop it, so the map holds only recent meetings
      for (const [id, at] of lastQuickAnalysis) if (at + WATCHED_ANALYSIS_MIN_INTERVAL_MS <= now) lastQuickAnalysis.delete(id);
      const due = [...pending].filter((id) => dueAt(id) <= now);
      for (const id of due) {
        pending.delete(id);
        lastQuickAnalysis.set(id, now);
      }
      if (due.length) void analyze(due);
      // samples that came too soon after their meeting's last report wait for its next turn, not for the
      // next samples to arrive
      if (pending.size) scheduleQuickAnalysis(Math.max(QUICK_GATHER_MS, Math.min(...[...pending].map(dueAt)) - now));
    }, delayMs);
  };
  onLiveEvent((event) => {
    if (event.type !== "samples") return;
    for (const id of event.meetingIds) if (isWatched(id)) pending.add(id);
    if (pending.size) scheduleQuickAnalysis(QUICK_GATHER_MS);
  });
  void connectLiveBus(cfg.databaseUrl, log);

  const elector = new LeaderElector(cfg.databaseUrl, {
    log,
    onElected: async () => {
      leading = true;
      collector = new Collector({ db: db(), collector: cfg.collector, sources: cfg.sources, onFlush: () => publish({ type: "bridges" }) });
      await collector.start();
      housekeeping = setInterval(() => void runHousekeeping(), HOUSEKEEPING_MS);
      analyzer = setInterval(() => void analyze(), ANALYSIS_WINDOW_MS);
    },
    onDemoted: async () => {
      leading = false;
      if (housekeeping) clearInterval(housekeeping);
      if (analyzer) clearInterval(analyzer);
      await collector?.stop();
      collector = null;
    },
  });
  void elector.start().catch((e: unknown) => log(`leader election failed to start: ${String(e)}`));
  globalRuntime.meetscopeRuntime = { stop: () => elector.stop() };
  const stop = () => void elector.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
