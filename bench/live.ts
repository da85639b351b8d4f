/**
 * bench/live: time from a participant sample's POST /api/v1/ingest to its change on an open meeting page in
 * Chromium (ingest → live event → server-sent event → refetch → render), p50/p95 over many samples. Each
 * sample comes from a new participant, so the page's "participants seen" count is what changes. Target p95 < 1.5 s.
 *
 *   npm run bench:live [-- --samples 40]
 */
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { openDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { createToken } from "../server/tokens/tokens";
import { benchPostgres, percentile, runBench, startApp } from "./lib";

const { values } = parseArgs({ options: { samples: { type: "string", default: "40" } } });
const SAMPLES = Number(values.samples);
const PORT = 3395;

async function main() {
  const database = benchPostgres();
  const setup = openDb(database.url);
  await applyMigrations(setup);
  const token = await createToken(setup.db, { name: "bench live", scope: "ingest", createdBy: "bench" });
  const app = await startApp(database.url, PORT, { NEXTAUTH_URL: `http://localhost:${PORT}` });
  const appUrl = `http://localhost:${PORT}`;
  const post = async (endpointId: string) => {
    const response = await fetch(`${appUrl}/api/v1/ingest`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ batchId: `live-${endpointId}-${Date.now()}`, samples: [{ room: "bench-live", endpointId, sampledAt: new Date().toISOString(), network: { rttMs: 40 } }] }),
    });
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    await post("ep-first");
    const meeting = await setup.db.meeting.findFirstOrThrow({ where: { room: "bench-live" } });
    const page = await browser.newPage();
    await page.goto(`${appUrl}/meetings/${meeting.id}`);
    await page.getByRole("button", { name: "Sign in with Janssen" }).click();
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password").fill("demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("status", { name: "Live updates" }).filter({ hasText: /^Live$/ }).waitFor({ timeout: 30_000 });
    const seen = page.getByRole("group", { name: "Participants" });

    const latenciesMs: number[] = [];
    for (let i = 1; i <= SAMPLES; i++) {
      const started = performance.now();
      await post(`ep-${i}`);
      await seen.filter({ hasText: `/ ${i + 1} seen` }).waitFor({ timeout: 10_000 });
      latenciesMs.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 300));
    }
    console.log(`bench/live: ${SAMPLES} samples, each POST /api/v1/ingest → visible on an open meeting page in Chromium (SSE, PostgreSQL)`);
    console.log(`p50 ${percentile(latenciesMs, 50).toFixed(0)} ms, p95 ${percentile(latenciesMs, 95).toFixed(0)} ms, max ${Math.max(...latenciesMs).toFixed(0)} ms (target p95 < 1500 ms)`);
  } finally {
    await browser.close();
    await app.stop();
    await setup.close();
    database.stop();
  }
}

runBench(main);
