import { analyzeLiveMeetings, ANALYSIS_WINDOW_MS } from "./analyzer/analyzer";
import { Collector } from "./collector/collector";
import { closeSilentMeetings, expireRawSamples, rollUpBridgeSamples } from "./collector/housekeeping";
import { LeaderElector } from "./collector/leader";
import { config } from "./config/env";
import { db } from "./db/client";

/**
 * The background loops of one Meetscope process, started once from instrumentation.ts. Only the elected
 * leader runs them (server/collector/leader.ts); other replicas just serve pages and the API.
 */

const HOUSEKEEPING_MS = 60_000;
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
      await expireRawSamples(db(), now, cfg.collector.rawRetentionHours);
      await closeSilentMeetings(db(), now);
    } catch (error) {
      log(`housekeeping failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const elector = new LeaderElector(cfg.databaseUrl, {
    log,
    onElected: async () => {
      collector = new Collector({ db: db(), collector: cfg.collector, sources: cfg.sources });
      await collector.start();
      housekeeping = setInterval(() => void runHousekeeping(), HOUSEKEEPING_MS);
      analyzer = setInterval(
        () => void analyzeLiveMeetings(db(), new Date()).catch((e: unknown) => log(`analysis failed: ${e instanceof Error ? e.message : String(e)}`)),
        ANALYSIS_WINDOW_MS,
      );
    },
    onDemoted: async () => {
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
