import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes, sendJson, startServer, type TestServer } from "@/server/jitsi/test-server";
import { openTestDb, TEST_PG_URL, type TestDb } from "./db";

/**
 * Two Meetscope processes on one PostgreSQL: exactly one collects. Kill it (SIGKILL, no goodbye) and the other
 * takes over within 15 s, because PostgreSQL drops the dead session's advisory lock.
 */

const stats = JSON.parse(readFileSync("server/jitsi/fixtures/jvb-colibri-stats.json", "utf8")) as Record<string, unknown>;

interface Replica {
  child: ChildProcess;
  output: string[];
}

function startReplica(databaseUrl: string, jvbUrl: string): Replica {
  const child = spawn(process.execPath, ["--import", "tsx", "server/collector/standalone.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, JVB_URLS: `jvb-leader-test=${jvbUrl}`, COLLECTOR_INTERVAL_MS: "500", MEETSCOPE_SIMULATOR: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  return { child, output };
}

const isLeader = (r: Replica) => r.output.join("").includes("elected leader");

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe.skipIf(!TEST_PG_URL)("leader election on PostgreSQL", () => {
  let testDb: TestDb;
  let jvb: TestServer;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    testDb = await openTestDb("postgresql");
    jvb = await startServer(routes({ "/colibri/stats": (_q, res) => sendJson(res, 200, stats) }));
  });
  afterAll(async () => {
    for (const r of replicas) r.child.kill("SIGKILL");
    await jvb.close();
    await testDb.close();
  });

  const samples = () => testDb.db.bridgeSample.count();

  it("one of two replicas collects; when it dies, the other takes over within 15 s", async () => {
    replicas.push(startReplica(testDb.url, jvb.url), startReplica(testDb.url, jvb.url));
    await until(() => replicas.some(isLeader), 20_000);
    await until(async () => (await samples()) >= 4, 10_000);
    const leaders = replicas.filter(isLeader);
    expect(leaders).toHaveLength(1);
    const [leader] = leaders;
    const follower = replicas.find((r) => r !== leader)!;

    // Only the leader polls: the bridge sees about one request per interval, not two.
    const before = jvb.requests.length;
    await new Promise((r) => setTimeout(r, 2000));
    expect(jvb.requests.length - before).toBeLessThanOrEqual(6);

    leader!.child.kill("SIGKILL");
    const countAtDeath = await samples();
    const takeoverMs = await until(() => isLeader(follower), 15_000);
    await until(async () => (await samples()) > countAtDeath + 2, 10_000);
    expect(takeoverMs).toBeLessThan(15_000);
  }, 60_000);
});
