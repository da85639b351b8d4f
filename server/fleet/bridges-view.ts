import { z } from "zod";
import { config } from "../config/env";
import type { Db } from "../db/client";

/** A bridge as the read API and the Bridges page present it: status, its source, and the latest figures. */
export const bridgeViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["up", "down", "draining", "shutting_down", "unknown"]),
  statusReason: z.string().nullable(),
  statusSince: z.date(),
  region: z.string().nullable(),
  version: z.string().nullable(),
  source: z
    .object({ kind: z.enum(["jvb", "jicofo"]), url: z.string(), lastSuccessAt: z.date().nullable(), lastErrorAt: z.date().nullable(), lastError: z.string().nullable() })
    .nullable()
    .describe("The JVB REST endpoint Meetscope polls; null for a bridge only Jicofo reports"),
  latest: z
    .object({
      sampledAt: z.date(),
      stressLevel: z.number(),
      conferences: z.number().int(),
      endpoints: z.number().int(),
      bitrateDownloadKbps: z.number().int(),
      bitrateUploadKbps: z.number().int(),
      packetRateDownloadPps: z.number().int(),
      packetRateUploadPps: z.number().int(),
      rttAggregateMs: z.number(),
      incomingLossFraction: z.number(),
      outgoingLossFraction: z.number(),
      healthy: z.boolean(),
      drain: z.boolean(),
      gracefulShutdown: z.boolean(),
      shuttingDown: z.boolean(),
    })
    .nullable()
    .describe("The latest /colibri/stats sample, normalized; null until the bridge has been polled"),
  jicofo: z
    .object({ seenAt: z.date(), correctedStress: z.number(), endpoints: z.number().int(), operational: z.boolean(), overloaded: z.boolean() })
    .nullable()
    .describe("What Jicofo's bridge selector last said about the bridge"),
});
export type BridgeView = z.infer<typeof bridgeViewSchema>;

const jicofoStateSchema = z.looseObject({ correctedStress: z.number(), endpoints: z.number(), operational: z.boolean(), overloaded: z.boolean() });

type LatestSample = NonNullable<BridgeView["latest"]> & { bridgeId: string };

/**
 * A bridge nobody has reported on for this long — it left Jicofo's brewery (scaled in), its source was
 * disabled or removed, or no Meetscope replica is collecting — has an unknown status, not its last one.
 */
export function staleAfterMs(collectorIntervalMs: number): number {
  return Math.max(120_000, 6 * collectorIntervalMs); // a failing source is retried at least once a minute
}

export async function bridgeViews(db: Db, where: { id?: string } = {}, now = new Date()): Promise<BridgeView[]> {
  const staleBefore = now.getTime() - staleAfterMs(config().collector.intervalMs);
  const bridges = await db.bridge.findMany({ where, orderBy: { name: "asc" }, include: { source: true } });
  // The newest sample of each bridge: one index lookup per bridge (BridgeSample_bridgeId_sampledAt_idx), not a
  // scan of every bridge's history as an ORM's per-relation "take 1" would do.
  const latest = await db.$queryRaw<LatestSample[]>`
    SELECT s."bridgeId", s."sampledAt", s."stressLevel", s.conferences, s.endpoints, s."bitrateDownloadKbps", s."bitrateUploadKbps",
      s."packetRateDownloadPps", s."packetRateUploadPps", s."rttAggregateMs", s."incomingLossFraction", s."outgoingLossFraction",
      s.healthy, s.drain, s."gracefulShutdown", s."shuttingDown"
    FROM unnest(${bridges.map((b) => b.id)}::text[]) AS b(id)
    CROSS JOIN LATERAL (SELECT * FROM "BridgeSample" WHERE "bridgeId" = b.id ORDER BY "sampledAt" DESC LIMIT 1) s`;
  const latestOf = new Map(latest.map(({ bridgeId, ...sample }) => [bridgeId, sample]));
  return bridges.map((b) => {
    const jicofo = jicofoStateSchema.safeParse(b.jicofoState);
    const sample = latestOf.get(b.id) ?? null;
    // any sign the collector still looks at it: a sample, Jicofo's word, or a poll of its source (even a failed one)
    const heardAt = Math.max(
      ...[sample?.sampledAt, b.jicofoSeenAt, b.source?.lastSuccessAt, b.source?.lastErrorAt, b.statusSince].map((d) => d?.getTime() ?? 0),
    );
    const stale = heardAt < staleBefore;
    return {
      id: b.id,
      name: b.name,
      status: stale ? "unknown" : (b.status.toLowerCase() as BridgeView["status"]),
      statusReason: stale ? `nothing heard from the bridge or Jicofo since ${new Date(heardAt).toISOString()}` : b.statusReason,
      statusSince: stale ? new Date(heardAt) : b.statusSince,
      region: b.region,
      version: b.version,
      source: b.source
        ? { kind: b.source.kind === "JVB" ? "jvb" : "jicofo", url: b.source.url, lastSuccessAt: b.source.lastSuccessAt, lastErrorAt: b.source.lastErrorAt, lastError: b.source.lastError }
        : null,
      latest: sample,
      jicofo: jicofo.success && b.jicofoSeenAt ? { seenAt: b.jicofoSeenAt, ...jicofo.data } : null,
    };
  });
}
