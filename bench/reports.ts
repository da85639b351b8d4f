/**
 * bench/reports: with 10 million participant samples in PostgreSQL, the p95 server time of (a) a meeting's
 * report page for 50 participants over 1 hour (meetings.detail + meetings.series + meetings.issues) and (b) the
 * fleet overview with 500 bridges (overview.summary + overview.issues + bridges.list), each through the tRPC
 * procedures as the server runs them, without the cache (cold) and with it (warm). Target < 50 ms each.
 *
 *   npm run bench:reports [-- --samples 10000000 --iterations 40 --rounds 3]
 */
import { parseArgs } from "node:util";
import { createCaller } from "../server/api/root";
import { rollUpParticipantSamples } from "../server/analyzer/chart-buckets";
import { viewerFrom } from "../server/auth/viewer";
import { resetMemoryCache } from "../server/cache/cache";
import { openDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { benchPostgres, median, percentile, runBench, table } from "./lib";

const { values } = parseArgs({ options: { samples: { type: "string", default: "10000000" }, iterations: { type: "string", default: "40" }, rounds: { type: "string", default: "3" } } });
const TOTAL_SAMPLES = Number(values.samples);
const ITERATIONS = Number(values.iterations);
const ROUNDS = Number(values.rounds);
const BRIDGES = 500;
const PARTICIPANTS = 50;
const INTERVAL_S = 5;
const HOUR_SAMPLES = 3600 / INTERVAL_S; // per participant

async function main() {
  const database = benchPostgres();
  const { db, close, adapter } = openDb(database.url);
  await applyMigrations({ db, close, adapter });
  const t0 = performance.now();
  const now = new Date();

  // 500 bridges, an hour of samples each
  await db.$executeRawUnsafe(`
    INSERT INTO "Bridge" (id, name, status, "statusSince", "lastSampleAt", region, version)
    SELECT 'b' || g, 'jvb' || g, 'UP', now(), now(), 'eu-central-1', '2.3.209' FROM generate_series(1, ${BRIDGES}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "BridgeSample" ("bridgeId", "sampledAt", "stressLevel", conferences, endpoints, "bitrateDownloadKbps", "bitrateUploadKbps",
      "packetRateDownloadPps", "packetRateUploadPps", "rttAggregateMs", "incomingLossFraction", "outgoingLossFraction", healthy, drain, "gracefulShutdown", "shuttingDown")
    SELECT 'b' || b, now() - (s * interval '${INTERVAL_S} seconds'), random(), 5, 40, 30000, 80000, 3000, 8000, 45 + random() * 10, random() * 0.01, random() * 0.01, true, false, false, false
    FROM generate_series(1, ${BRIDGES}) b, generate_series(0, ${HOUR_SAMPLES - 1}) s`);

  // the meeting under test: 50 participants, one sample each every 5 s for an hour, and its reports
  const meeting = await db.meeting.create({ data: { room: "bench-room", startedAt: new Date(now.getTime() - 3_600_000), lastSeenAt: now, bridgeId: "b1" } });
  await db.$executeRawUnsafe(`
    INSERT INTO "Participant" (id, "meetingId", "endpointId", "displayName", "joinedAt", "lastSeenAt")
    SELECT 'p' || g, '${meeting.id}', 'ep' || g, 'Person ' || g, now() - interval '1 hour', now() FROM generate_series(1, ${PARTICIPANTS}) g`);
  const sampleSelect = (participant: string, meetingId: string) => `
    SELECT ${participant}, ${meetingId}, now() - (s * interval '${INTERVAL_S} seconds'), 1500, 3000, 720, 720, 30, 30, 'VP8', 40, 40, 5 + random() * 5, 0.01,
      40 + random() * 20, random() * 0.02, random() * 0.02, 3000, 8000, 'udp', false, 'none', 400, 95`;
  const columns = `("participantId", "meetingId", "sampledAt", "videoSendBitrateKbps", "videoRecvBitrateKbps", "videoSendHeightPx", "videoRecvHeightPx",
    "videoSendFrameRateFps", "videoRecvFrameRateFps", "videoCodec", "audioSendBitrateKbps", "audioRecvBitrateKbps", "audioJitterMs", "audioConcealedFraction",
    "rttMs", "lossSendFraction", "lossRecvFraction", "availableSendBandwidthKbps", "availableRecvBandwidthKbps", "transportProtocol", relayed,
    "qualityLimitationReason", "memoryUsedMb", "connectionQuality")`;
  await db.$executeRawUnsafe(`INSERT INTO "ParticipantSample" ${columns} ${sampleSelect("'p' || p", `'${meeting.id}'`)} FROM generate_series(1, ${PARTICIPANTS}) p, generate_series(0, ${HOUR_SAMPLES - 1}) s`);
  const reportParticipants = JSON.stringify(
    Array.from({ length: PARTICIPANTS }, (_, i) => ({ participantId: `p${i + 1}`, endpointId: `ep${i + 1}`, displayName: `Person ${i + 1}`, bridgeId: "b1", sampleCount: 6,
      send: { audio: { mos: 4.3, r: 90, dominant: "none", assumptions: [] }, rttMs: 50, lossFraction: 0.01, jitterMs: null },
      recv: { audio: { mos: 4.3, r: 90, dominant: "none", assumptions: [] }, rttMs: 50, lossFraction: 0.01, jitterMs: 6 },
      connectionQualityPercent: 100, reportedConnectionQualityPercent: 95, streams: [], score: 95, notes: [] })),
  ).replaceAll("'", "''");
  const reportMos = JSON.stringify(Array.from({ length: PARTICIPANTS }, (_, i) => ({ p: `p${i + 1}`, s: 4.3, r: 4.3 })));
  await db.$executeRawUnsafe(`
    INSERT INTO "PerformanceReport" (id, "meetingId", "generatedAt", "windowStart", "windowEnd", "overallScore", participants, issues, "issueCount", "worstParticipantIds", mos)
    SELECT gen_random_uuid()::text, '${meeting.id}', now() - (s * interval '30 seconds'), now() - (s * interval '30 seconds') - interval '30 seconds', now() - (s * interval '30 seconds'),
      90, '${reportParticipants}'::jsonb, '[]'::jsonb, 0, '{}', '${reportMos}'::jsonb FROM generate_series(0, 119) s`);

  // filler: other meetings' samples up to the total, spread over the last 24 hours
  const filler = TOTAL_SAMPLES - PARTICIPANTS * HOUR_SAMPLES;
  const fillerParticipants = 10_000;
  await db.$executeRawUnsafe(`
    INSERT INTO "Meeting" (id, room, "startedAt", "lastSeenAt", "endedAt") SELECT 'm' || g, 'filler-' || g, now() - interval '1 day', now(), now() FROM generate_series(1, 200) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Participant" (id, "meetingId", "endpointId", "joinedAt", "lastSeenAt")
    SELECT 'fp' || g, 'm' || (g % 200 + 1), 'fep' || g, now() - interval '1 day', now() FROM generate_series(1, ${fillerParticipants}) g`);
  const chunk = 1_000_000;
  for (let done = 0; done < filler; done += chunk) {
    const n = Math.min(chunk, filler - done);
    await db.$executeRawUnsafe(`INSERT INTO "ParticipantSample" ${columns}
      ${sampleSelect(`'fp' || (g % ${fillerParticipants} + 1)`, `'m' || ((g % ${fillerParticipants} + 1) % 200 + 1)`).replace("now() - (s * interval", "now() - ((g % 17280) * interval")}
      FROM generate_series(${done + 1}, ${done + n}) g`);
    process.stderr.write(`  ${done + n + PARTICIPANTS * HOUR_SAMPLES} samples…\r`);
  }
  // the roll-ups as the leader keeps them (charts still read the last RAW_TAIL_MS from raw samples)
  await rollUpParticipantSamples(db, new Date(Date.now() - 48 * 3_600_000));
  await db.$executeRawUnsafe(`ANALYZE`);
  const stored = await db.participantSample.count();
  const setupS = (performance.now() - t0) / 1000;

  const admin = createCaller({ db, viewer: viewerFrom("bench", "bench@example.test", "Bench", ["admin"]) });
  const scenarios = {
    "meeting report (50 participants, 1 h)": () =>
      Promise.all([admin.meetings.detail({ meetingId: meeting.id }), admin.meetings.series({ meetingId: meeting.id, minutes: 60 }), admin.meetings.issues({ meetingId: meeting.id, minutes: 60 })]),
    "fleet overview (500 bridges)": () => Promise.all([admin.overview.summary(), admin.overview.issues(), admin.bridges.list()]),
  };
  // The baseline, run beside them: the same hour of chart figures averaged from the raw samples in one query,
  // as the meeting page read them before the 30-second roll-ups.
  const baseline = () => db.$queryRawUnsafe(`
    SELECT "participantId", date_bin('30 seconds', "sampledAt", timestamp '2000-01-01') AS t,
      ${["videoSendBitrateKbps", "videoRecvBitrateKbps", "videoSendHeightPx", "videoRecvHeightPx", "videoSendFrameRateFps", "videoRecvFrameRateFps", "audioJitterMs", "rttMs", "lossSendFraction", "lossRecvFraction"].map((c) => `avg("${c}")::float8 AS "${c}"`).join(", ")}
    FROM "ParticipantSample" WHERE "meetingId" = $1 AND "sampledAt" >= now() - interval '1 hour' GROUP BY 1, 2 ORDER BY 2`, meeting.id);

  const measure = async (run: () => Promise<unknown>, cold: boolean) => {
    const times: number[] = [];
    await run(); // warm-up: JIT, connections, plans
    for (let i = 0; i < ITERATIONS; i++) {
      if (cold) {
        resetMemoryCache();
        await db.cacheEntry.deleteMany();
      }
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };
  const results = new Map<string, Array<{ p50: number; p95: number }>>();
  for (let round = 0; round < ROUNDS; round++) {
    const runs: Array<[string, () => Promise<unknown>, boolean]> = [
      ["baseline: raw-sample aggregate (old meeting charts)", baseline, false],
      ...Object.entries(scenarios).flatMap(([name, run]) => [[`${name}, cold (no cache)`, run, true], [`${name}, warm (cache)`, run, false]] as Array<[string, () => Promise<unknown>, boolean]>),
    ];
    for (const [name, run, cold] of runs) results.set(name, [...(results.get(name) ?? []), await measure(run, cold)]);
  }
  const baselineP95 = median(results.get("baseline: raw-sample aggregate (old meeting charts)")!.map((r) => r.p95));
  const rows = [...results].map(([read, rounds]) => ({
    read,
    "p50 ms (median)": median(rounds.map((r) => r.p50)).toFixed(1),
    "p95 ms (median)": median(rounds.map((r) => r.p95)).toFixed(1),
    "p95 ms per round": rounds.map((r) => r.p95.toFixed(1)).join(" / "),
    // the baseline is a meeting-chart read: a ratio for the fleet overview would compare unrelated reads
    "p95 / baseline": read.startsWith("fleet") ? "—" : (median(rounds.map((r) => r.p95)) / baselineP95).toFixed(2),
  }));
  console.log(`bench/reports: ${stored.toLocaleString("en")} participant samples and ${(BRIDGES * HOUR_SAMPLES).toLocaleString("en")} bridge samples in PostgreSQL (set up in ${setupS.toFixed(0)} s); ${ROUNDS} rounds × ${ITERATIONS} runs, server time through the tRPC procedures; target p95 < 50 ms`);
  console.log(table(rows));
  await close();
  database.stop();
}

runBench(main);
