/**
 * bench/live: time from a participant sample's POST /api/v1/ingest to its change on an open meeting page in
 * Chromium (ingest → live event → server-sent event → refetch → render), p50/p95 over many samples. Each
 * sample comes from a new participant, so the page's "participants seen" count is what changes. Target p95 < 1.5 s.
 *
 * Two cadences: "spaced" posts each sample 1.5 s after the last was seen, "bursty" 0.3 s after, as the
 * participants of a busy meeting do. The page refetches at once for an event, then at most once a second
 * (components/live.tsx); the meeting's report, made about 0.5 s after its samples, is an event too. So a sample
 * shows at once, or waits for the rest of the second that began with the last refetch.
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
    await page.getByRole("group", { name: "Participants" }).filter({ hasText: "/ 1 seen" }).waitFor();

    // The moment the page shows the text, taken in the page by a MutationObserver (Playwright's own polling
    // backs off to 0.5-s steps and would round the figures up). Both clocks are this machine's wall clock.
    // (in-page code as a string: tsx would wrap named functions in a helper the page does not have)
    const watchFor = (text: string) =>
      page.evaluate(`
        window.seenAt = new Promise((resolve, reject) => {
          const wanted = ${JSON.stringify(text)};
          const shows = () => document.querySelector('[role="group"][aria-label="Participants"]')?.textContent?.includes(wanted) ?? false;
          const observer = new MutationObserver(() => {
            if (!shows()) return;
            observer.disconnect();
            resolve(Date.now());
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => reject(new Error(wanted + " not shown within 10 s")), 10000);
        });
        true; // not the promise: evaluate would wait for it
      `);
    const seenAt = () => page.evaluate("window.seenAt") as Promise<number>;

    let participants = 1;
    const measure = async (pauseMs: number) => {
      const latenciesMs: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        await new Promise((r) => setTimeout(r, pauseMs));
        participants++;
        await watchFor(`/ ${participants} seen`);
        const started = Date.now();
        await post(`ep-${participants}`);
        latenciesMs.push((await seenAt()) - started);
      }
      return `p50 ${percentile(latenciesMs, 50).toFixed(0)} ms, p95 ${percentile(latenciesMs, 95).toFixed(0)} ms, max ${Math.max(...latenciesMs).toFixed(0)} ms`;
    };
    const spaced = await measure(1_500);
    const bursty = await measure(300);
    console.log(`bench/live: ${SAMPLES} samples per cadence, each POST /api/v1/ingest → visible on an open meeting page in Chromium (SSE, PostgreSQL); target p95 < 1500 ms`);
    console.log(`  spaced (1.5 s apart): ${spaced}`);
    console.log(`  bursty (0.3 s apart): ${bursty}`);
  } finally {
    await browser.close();
    await app.stop();
    await setup.close();
    database.stop();
  }
}

runBench(main);
