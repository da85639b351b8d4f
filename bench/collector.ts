/**
 * bench/collector: 1,000 simulated bridges polled every 5 s. The simulator runs in its own process (its CPU is
 * not ours); the collector runs here against PostgreSQL, and the figure is the share of one core this process
 * uses (target < 25 %). Beside it, a baseline in the same process: a bare loop that fetches and JSON.parses the
 * same 1,000 URLs on the same schedule over the same kind of pool, with no validation and no database.
 *
 *   npm run bench:collector [-- --bridges 1000 --seconds 60 --rounds 2]
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { Agent, request } from "undici";
import { Collector } from "../server/collector/collector";
import { parseEnv } from "../server/config/env";
import { openDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { benchPostgres, median, runBench, table } from "./lib";

const { values } = parseArgs({ options: { bridges: { type: "string", default: "1000" }, seconds: { type: "string", default: "60" }, rounds: { type: "string", default: "2" } } });
const BRIDGES = Number(values.bridges);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const INTERVAL_MS = 5000;

async function startSimulator(): Promise<{ jvbUrlsEnv: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "simulator/fleet/cli.ts", "--bridges", String(BRIDGES), "--base-port", "0", "--tick-ms", "5000"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 600 && !/^JVB_URLS=.*$/m.test(output); i++) await new Promise((r) => setTimeout(r, 100));
  const line = /^JVB_URLS=(.*)$/m.exec(output);
  if (!line) throw new Error(`the simulator did not print JVB_URLS:\n${output}`);
  return { jvbUrlsEnv: line[1]!, stop: () => child.kill("SIGTERM") };
}

/** CPU of this process over a window, as a share of one core. */
async function measure(seconds: number, warmupS: number): Promise<number> {
  await new Promise((r) => setTimeout(r, warmupS * 1000));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
}

/** The baseline: fetch + JSON.parse every URL every interval, nothing else. */
function bareLoop(urls: string[]): { polls: () => number; stop: () => Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 4 });
  const limit = pLimit(64);
  let polls = 0;
  const tick = () => {
    for (const url of urls) {
      void limit(async () => {
        const res = await request(`${url}/colibri/stats`, { dispatcher: agent });
        JSON.parse(await res.body.text());
        polls++;
      }).catch(() => undefined);
    }
  };
  tick();
  const timer = setInterval(tick, INTERVAL_MS);
  return { polls: () => polls, stop: async () => { clearInterval(timer); await agent.close(); } };
}

async function main() {
  const simulator = await startSimulator();
  const database = benchPostgres();
  const open = openDb(database.url);
  await applyMigrations(open);
  const cfg = parseEnv({ JVB_URLS: simulator.jvbUrlsEnv, COLLECTOR_INTERVAL_MS: String(INTERVAL_MS) });
  const urls = cfg.sources.jvb.map((s) => s.url);
  const rows: Array<Record<string, string | number>> = [];
  const collectorShares: number[] = [];
  const baselineShares: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const collector = new Collector({ db: open.db, collector: cfg.collector, sources: cfg.sources, log: () => {} });
      await collector.start();
      const pollsBefore = collector.pollsCompleted;
      const share = await measure(SECONDS, 10);
      const polls = collector.pollsCompleted - pollsBefore;
      await collector.stop();

      const bare = bareLoop(urls);
      const bareShare = await measure(SECONDS, 10);
      const barePolls = bare.polls();
      await bare.stop();

      collectorShares.push(share);
      baselineShares.push(bareShare);
      rows.push({
        round,
        "collector % of a core": (share * 100).toFixed(1),
        "collector polls/s": (polls / (SECONDS + 10)).toFixed(0),
        "bare fetch+parse % of a core": (bareShare * 100).toFixed(1),
        "bare polls/s": (barePolls / (SECONDS + 10)).toFixed(0),
        ratio: (share / bareShare).toFixed(2),
      });
    }
    const samples = await open.db.bridgeSample.count();
    console.log(`bench/collector: ${urls.length} simulated bridges every ${INTERVAL_MS / 1000} s, ${ROUNDS} rounds of ${SECONDS} s (after 10 s warm-up), PostgreSQL; ${samples} samples written`);
    console.log(table(rows));
    console.log(
      `median: collector ${(median(collectorShares) * 100).toFixed(1)} % of one core (target < 25 %), bare polling ${(median(baselineShares) * 100).toFixed(1)} %; ratio ${(median(collectorShares) / median(baselineShares)).toFixed(2)}`,
    );
  } finally {
    simulator.stop();
    await open.close();
    database.stop();
  }
}

runBench(main);
