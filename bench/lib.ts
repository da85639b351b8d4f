import { execFileSync, spawn, type ChildProcess } from "node:child_process";

/** Shared pieces of the benchmarks: a throwaway PostgreSQL, the app started as users start it, statistics. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * What a benchmark started and has not stopped yet. A benchmark stops them itself when it ends well; when it
 * fails, runBench stops what is left, newest first, so no server outlives it and holds its port.
 */
const running = new Set<() => unknown>();

/** A PostgreSQL for the benchmark: BENCH_DATABASE_URL, or a throwaway cluster of our own (stopped by the returned function). */
export function benchPostgres(): { url: string; stop: () => void } {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: () => {} };
  const env = { ...process.env, PGPORT: "54339", PGDATA_DIR: `${process.cwd()}/.data/pg-bench` };
  const stop = () => {
    running.delete(stop);
    execFileSync("scripts/pg-test-server.sh", ["stop"], { env });
  };
  running.add(stop); // also when start fails half-way (pg_ctl may have left a server behind)
  const url = execFileSync("scripts/pg-test-server.sh", ["start"], { env, encoding: "utf8" }).trim();
  return { url, stop };
}

/** `npm start` on its own port against the given database, without the simulator; resolves when healthy. */
export async function startApp(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn("npx", ["tsx", "scripts/start.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), DEMO_IDP_PORT: String(port + 1000), MEETSCOPE_SIMULATOR: "off", MEETSCOPE_DATA_DIR: ".data/bench", ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const stop = async () => {
    running.delete(stop);
    if (child.exitCode !== null) return;
    process.kill(-child.pid!, "SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
  running.add(stop);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, child, stop };
}

export function table(rows: Array<Record<string, string | number>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(keys), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join("\n");
}

/** Runs a benchmark's main and exits (open pools and child processes would otherwise keep it alive). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    async (error: unknown) => {
      console.error(error);
      for (const stop of [...running].reverse()) {
        try {
          await stop();
        } catch (e) {
          console.error(`stopping what the benchmark started failed: ${String(e)}`);
        }
      }
      process.exit(1);
    },
  );
}
