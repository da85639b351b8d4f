/**
 * bench/ingest: sustained participant samples per second through POST /api/v1/ingest (the production
 * Next.js server from `npm start`) into PostgreSQL, with p50/p99 request latency, beside a raw multi-row INSERT
 * of the same rows through node-postgres on the same machine. The ratio is the figure (target ≥ 0.5), and
 * ≥ 20,000 samples/s. Runs alternate API and raw rounds; medians are reported.
 *
 *   npm run bench:ingest [-- --rounds 3 --seconds 10 --concurrency 4 --batch 1000]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { sampleRow } from "../server/ingest/ingest";
import type { IngestBatchInput } from "../server/ingest/schema";
import { ingestBatchSchema } from "../server/ingest/schema";
import { createToken } from "../server/tokens/tokens";
import { benchPostgres, median, runBench, percentile, startApp, table } from "./lib";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, seconds: { type: "string", default: "10" }, concurrency: { type: "string", default: "4" }, batch: { type: "string", default: "1000" } },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const BATCH = Number(values.batch);
const ROOMS = 50;
const PER_ROOM = 20;

/** A realistic batch: BATCH samples from ROOMS × PER_ROOM participants, every field a browser would send. */
function makeBatch(seq: number): IngestBatchInput {
  const at = new Date(Date.now() - 1000).toISOString();
  return {
    batchId: `bench-${seq}-${randomUUID()}`,
    samples: Array.from({ length: BATCH }, (_, i) => {
      const p = (seq * BATCH + i) % (ROOMS * PER_ROOM);
      return {
        room: `bench-room-${p % ROOMS}`,
        endpointId: `ep${p.toString(16).padStart(6, "0")}`,
        sampledAt: at,
        video: { send: { bitrateKbps: 1200 + (i % 300), heightPx: 720, frameRateFps: 30, codec: "VP8" }, recv: { bitrateKbps: 2400, heightPx: 360, frameRateFps: 30 } },
        audio: { send: { bitrateKbps: 40 }, recv: { bitrateKbps: 38, jitterMs: 8.5, concealedFraction: 0.01 } },
        network: { rttMs: 40 + (i % 50), lossSendFraction: 0.004, lossRecvFraction: 0.006, availableSendBandwidthKbps: 3000, transport: "udp", relayed: false },
        resources: { qualityLimitationReason: "none", memoryUsedMb: 400 },
        connectionQuality: 95,
      };
    }),
  };
}

async function loop(seconds: number, work: (seq: number) => Promise<void>): Promise<{ requests: number; latenciesMs: number[]; elapsedS: number }> {
  const latenciesMs: number[] = [];
  let seq = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await work(seq++);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { requests: latenciesMs.length, latenciesMs, elapsedS: (performance.now() - started) / 1000 };
}

async function main() {
  const database = benchPostgres();
  const setup = openDb(database.url);
  await applyMigrations(setup);
  const token = await createToken(setup.db, { name: "bench", scope: "ingest", createdBy: "bench" });
  const app = await startApp(database.url, 3390, { INGEST_RATE_LIMIT_PER_MINUTE: "1000000" });
  const pool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY });
  try {
    const body = (seq: number) => JSON.stringify(makeBatch(seq));
    // Warm-up: creates the meetings and participants, compiles the route.
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${app.url}/api/v1/ingest`, { method: "POST", headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/json" }, body: body(i) });
      if (!r.ok) throw new Error(`warm-up answered ${r.status}: ${await r.text()}`);
    }
    // Raw baseline rows: the same samples, already mapped to columns, for the participants the API created.
    const participants = await setup.db.participant.findMany({ select: { id: true, meetingId: true, endpointId: true, meeting: { select: { room: true } } } });
    const idOf = new Map(participants.map((p) => [`${p.meeting.room}/${p.endpointId}`, p]));
    const columns = Object.keys(sampleRow(ingestBatchSchema.parse(makeBatch(0)).samples[0]!, "x", "y"));
    const rawInsert = async (seq: number) => {
      const batch = ingestBatchSchema.parse(makeBatch(seq));
      const params: unknown[] = [];
      const tuples = batch.samples.map((s) => {
        const p = idOf.get(`${s.room}/${s.endpointId}`)!;
        const row = sampleRow(s, p.id, p.meetingId) as Record<string, unknown>;
        const placeholders = columns.map((c) => `$${params.push(row[c] ?? null)}`);
        return `(${placeholders.join(",")})`;
      });
      await pool.query(`INSERT INTO "ParticipantSample" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${tuples.join(",")}`, params);
    };
    const apiPost = async (seq: number) => {
      const r = await fetch(`${app.url}/api/v1/ingest`, { method: "POST", headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/json" }, body: body(seq + 1_000_000) });
      if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    };

    const rows: Array<Record<string, string | number>> = [];
    const apiRates: number[] = [];
    const rawRates: number[] = [];
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const api = await loop(SECONDS, apiPost);
      const raw = await loop(SECONDS, rawInsert);
      const apiRate = (api.requests * BATCH) / api.elapsedS;
      const rawRate = (raw.requests * BATCH) / raw.elapsedS;
      apiRates.push(apiRate);
      rawRates.push(rawRate);
      p50s.push(percentile(api.latenciesMs, 50));
      p99s.push(percentile(api.latenciesMs, 99));
      rows.push({
        round,
        "api samples/s": Math.round(apiRate),
        "api p50 ms": percentile(api.latenciesMs, 50).toFixed(1),
        "api p99 ms": percentile(api.latenciesMs, 99).toFixed(1),
        "raw INSERT rows/s": Math.round(rawRate),
        "raw p50 ms": percentile(raw.latenciesMs, 50).toFixed(1),
        ratio: (apiRate / rawRate).toFixed(2),
      });
    }
    console.log(`bench/ingest: ${ROUNDS} rounds × ${SECONDS} s, ${CONCURRENCY} concurrent clients, ${BATCH} samples per batch, PostgreSQL ${database.url.replace(/\/\/.*@/, "//…@")}`);
    console.log(table(rows));
    console.log(
      `median: ${Math.round(median(apiRates))} samples/s through the API (p50 ${median(p50s).toFixed(1)} ms, p99 ${median(p99s).toFixed(1)} ms per ${BATCH}-sample request), ` +
        `${Math.round(median(rawRates))} rows/s raw; ratio ${(median(apiRates) / median(rawRates)).toFixed(2)} (target ≥ 0.5, and ≥ 20000 samples/s)`,
    );
  } finally {
    await pool.end();
    await app.stop();
    await setup.close();
    database.stop();
  }
}

runBench(main);
