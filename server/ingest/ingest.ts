import type { Db } from "../db/client";
import { Prisma, type ParticipantEventKind } from "../db/generated/client";
import type { IngestBatch, IngestEvent, IngestSample } from "./schema";

/**
 * Writes one validated ingest batch, all or nothing, in one transaction: meetings and participants are found
 * or created, samples and events inserted, and the batch id remembered so a retry is accepted once.
 */

export type IngestResult = { status: "accepted"; samples: number; events: number } | { status: "duplicate" };

type Ref = Pick<IngestSample, "room" | "jitsiMeetingId" | "endpointId" | "displayName">;

const EVENT_KIND: Record<IngestEvent["kind"], ParticipantEventKind> = {
  join: "JOIN",
  leave: "LEAVE",
  reconnect: "RECONNECT",
  ice_failure: "ICE_FAILURE",
};

const meetingKey = (r: Ref) => `${r.room}\u0000${r.jitsiMeetingId ?? ""}`;
const participantKey = (meetingId: string, endpointId: string) => `${meetingId}\u0000${endpointId}`;

/** One flat row per sample; column names carry the units (see prisma/schema.prisma). */
export function sampleRow(s: IngestSample, participantId: string, meetingId: string): Prisma.ParticipantSampleCreateManyInput {
  return {
    participantId,
    meetingId,
    sampledAt: new Date(s.sampledAt),
    videoSendBitrateKbps: s.video?.send?.bitrateKbps,
    videoRecvBitrateKbps: s.video?.recv?.bitrateKbps,
    videoSendHeightPx: s.video?.send?.heightPx,
    videoRecvHeightPx: s.video?.recv?.heightPx,
    videoSendFrameRateFps: s.video?.send?.frameRateFps,
    videoRecvFrameRateFps: s.video?.recv?.frameRateFps,
    videoCodec: s.video?.send?.codec ?? s.video?.recv?.codec,
    audioSendBitrateKbps: s.audio?.send?.bitrateKbps,
    audioRecvBitrateKbps: s.audio?.recv?.bitrateKbps,
    audioJitterMs: s.audio?.recv?.jitterMs,
    audioConcealedFraction: s.audio?.recv?.concealedFraction,
    rttMs: s.network?.rttMs,
    lossSendFraction: s.network?.lossSendFraction,
    lossRecvFraction: s.network?.lossRecvFraction,
    availableSendBandwidthKbps: s.network?.availableSendBandwidthKbps,
    availableRecvBandwidthKbps: s.network?.availableRecvBandwidthKbps,
    transportProtocol: s.network?.transport,
    relayed: s.network?.relayed,
    qualityLimitationReason: s.resources?.qualityLimitationReason,
    memoryUsedMb: s.resources?.memoryUsedMb,
    connectionQuality: s.connectionQuality,
  };
}

class DuplicateBatch extends Error {}

export async function ingestBatch(db: Db, batch: IngestBatch, tokenId: string, now = new Date()): Promise<IngestResult> {
  const refs: Array<Ref & { at: Date }> = [
    ...batch.samples.map((s) => ({ ...s, at: new Date(s.sampledAt) })),
    ...batch.events.map((e) => ({ ...e, at: new Date(e.occurredAt) })),
  ];
  try {
    return await db.$transaction(
      async (tx) => {
        // Batch ids are per token, so two clients cannot collide; the primary key makes a retry a no-op.
        try {
          await tx.ingestBatch.create({
            data: { id: `${tokenId}:${batch.batchId}`, tokenId, sampleCount: batch.samples.length, eventCount: batch.events.length },
          });
        } catch (error) {
          if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new DuplicateBatch();
          throw error;
        }

        // Serialize batches that touch the same rooms, so two of them cannot both create "the live meeting"
        // of a room. Sorted to take locks in one order (no deadlocks).
        const rooms = [...new Set(refs.map((r) => r.room))].sort();
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('meetscope.room:' || r)) FROM unnest(${rooms}::text[]) AS r ORDER BY r`;

        const meetingIds = await resolveMeetings(tx, refs, now);
        const participantIds = await resolveParticipants(tx, refs, meetingIds, now);
        const idsOf = (r: Ref) => {
          const meetingId = meetingIds.get(meetingKey(r))!;
          return { meetingId, participantId: participantIds.get(participantKey(meetingId, r.endpointId))! };
        };

        if (batch.samples.length) {
          await tx.participantSample.createMany({
            data: batch.samples.map((s) => {
              const ids = idsOf(s);
              return sampleRow(s, ids.participantId, ids.meetingId);
            }),
          });
        }
        if (batch.events.length) {
          await tx.participantEvent.createMany({
            data: batch.events.map((e) => ({ ...idsOf(e), kind: EVENT_KIND[e.kind], occurredAt: new Date(e.occurredAt), detail: e.detail })),
          });
          // The latest join/leave of each participant in this batch decides whether they are in the meeting.
          const presence = new Map<string, { id: string; leftAt: Date | null }>();
          for (const e of [...batch.events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))) {
            if (e.kind !== "join" && e.kind !== "leave") continue;
            const { participantId } = idsOf(e);
            presence.set(participantId, { id: participantId, leftAt: e.kind === "leave" ? new Date(e.occurredAt) : null });
          }
          for (const p of presence.values()) await tx.participant.update({ where: { id: p.id }, data: { leftAt: p.leftAt } });
        }

        await tx.meeting.updateMany({ where: { id: { in: [...new Set(meetingIds.values())] } }, data: { lastSeenAt: now } });
        await tx.participant.updateMany({ where: { id: { in: [...new Set(participantIds.values())] } }, data: { lastSeenAt: now } });
        return { status: "accepted" as const, samples: batch.samples.length, events: batch.events.length };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (error instanceof DuplicateBatch) return { status: "duplicate" };
    throw error;
  }
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Meeting id per (room, jitsiMeetingId): by Jitsi's meeting id when the client knows it, else the room's live meeting. */
async function resolveMeetings(tx: Tx, refs: Array<Ref & { at: Date }>, now: Date): Promise<Map<string, string>> {
  const firstSeen = new Map<string, Ref & { at: Date }>();
  for (const r of refs) {
    const seen = firstSeen.get(meetingKey(r));
    if (!seen || r.at < seen.at) firstSeen.set(meetingKey(r), r);
  }
  const wanted = [...firstSeen.values()];
  const byJitsiId = wanted.filter((r) => r.jitsiMeetingId).map((r) => r.jitsiMeetingId!);
  const byRoom = wanted.filter((r) => !r.jitsiMeetingId).map((r) => r.room);

  const found = new Map<string, string>();
  const load = async () => {
    if (byJitsiId.length) {
      for (const m of await tx.meeting.findMany({ where: { jitsiMeetingId: { in: byJitsiId } }, select: { id: true, room: true, jitsiMeetingId: true } })) {
        found.set(`${m.room}\u0000${m.jitsiMeetingId}`, m.id);
      }
    }
    if (byRoom.length) {
      const live = await tx.meeting.findMany({ where: { room: { in: byRoom }, endedAt: null }, orderBy: { startedAt: "desc" }, select: { id: true, room: true } });
      for (const m of live) if (!found.has(`${m.room}\u0000`)) found.set(`${m.room}\u0000`, m.id);
    }
  };
  await load();
  const missing = wanted.filter((r) => !found.has(meetingKey(r)));
  if (missing.length) {
    await tx.meeting.createMany({
      data: missing.map((r) => ({ room: r.room, jitsiMeetingId: r.jitsiMeetingId ?? null, startedAt: r.at, lastSeenAt: now })),
      skipDuplicates: true,
    });
    await load();
  }
  return found;
}

async function resolveParticipants(tx: Tx, refs: Array<Ref & { at: Date }>, meetingIds: Map<string, string>, now: Date): Promise<Map<string, string>> {
  const firstSeen = new Map<string, { meetingId: string; endpointId: string; displayName?: string; at: Date }>();
  for (const r of refs) {
    const meetingId = meetingIds.get(meetingKey(r))!;
    const key = participantKey(meetingId, r.endpointId);
    const seen = firstSeen.get(key);
    if (!seen || r.at < seen.at) firstSeen.set(key, { meetingId, endpointId: r.endpointId, displayName: r.displayName ?? seen?.displayName, at: r.at });
  }
  const wanted = [...firstSeen.values()];
  await tx.participant.createMany({
    data: wanted.map((p) => ({ meetingId: p.meetingId, endpointId: p.endpointId, displayName: p.displayName, joinedAt: p.at, lastSeenAt: now })),
    skipDuplicates: true,
  });
  const rows = await tx.participant.findMany({
    where: { meetingId: { in: [...new Set(wanted.map((p) => p.meetingId))] }, endpointId: { in: [...new Set(wanted.map((p) => p.endpointId))] } },
    select: { id: true, meetingId: true, endpointId: true },
  });
  return new Map(rows.map((p) => [participantKey(p.meetingId, p.endpointId), p.id]));
}
