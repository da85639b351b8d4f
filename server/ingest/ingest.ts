import type { Db } from "../db/client";
import { Prisma, type ParticipantEventKind } from "../db/generated/client";
import { utc } from "../db/sql";
import type { IngestBatch, IngestEvent, IngestSample } from "./schema";

/**
 * Writes one validated ingest batch, all or nothing, in one transaction: meetings and participants are found
 * or created, samples and events inserted, and the batch id remembered so a retry is accepted once.
 */

export type IngestResult = { status: "accepted"; samples: number; events: number; meetingIds: string[] } | { status: "duplicate" };

type Ref = Pick<IngestSample, "room" | "jitsiMeetingId" | "endpointId" | "displayName">;

const EVENT_KIND: Record<IngestEvent["kind"], ParticipantEventKind> = {
  join: "JOIN",
  leave: "LEAVE",
  reconnect: "RECONNECT",
  ice_failure: "ICE_FAILURE",
};

// Jitsi's meeting id identifies a meeting on its own; without it, the room's live meeting is meant.
const meetingKey = (r: { room: string; jitsiMeetingId?: string | null }) => (r.jitsiMeetingId ? `id:${r.jitsiMeetingId}` : `room:${r.room}`);
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

/**
 * "Last seen" is written at most this often per meeting and participant, after the transaction: busy rooms
 * send many batches a second, and a row update inside each transaction would make them queue on row locks.
 * Silence is judged over 90 s (housekeeping.ts), so this granularity is plenty.
 */
const LAST_SEEN_WRITE_INTERVAL_MS = 10_000;
const lastSeenWritten = new Map<string, number>();

/** The batch's times on Meetscope's clock: shifted by the client's clock offset when the client said when it sent it. */
export function onServerClock(batch: IngestBatch, receivedAt: Date): IngestBatch {
  if (!batch.sentAt) return batch;
  const offsetMs = receivedAt.getTime() - Date.parse(batch.sentAt);
  const shift = (iso: string) => new Date(Date.parse(iso) + offsetMs).toISOString();
  return {
    ...batch,
    samples: batch.samples.map((s) => ({ ...s, sampledAt: shift(s.sampledAt) })),
    events: batch.events.map((e) => ({ ...e, occurredAt: shift(e.occurredAt) })),
  };
}

export async function ingestBatch(db: Db, received: IngestBatch, tokenId: string, now = new Date()): Promise<IngestResult> {
  const batch = onServerClock(received, now);
  const refs: Array<Ref & { at: Date }> = [
    ...batch.samples.map((s) => ({ ...s, at: new Date(s.sampledAt) })),
    ...batch.events.map((e) => ({ ...e, at: new Date(e.occurredAt) })),
  ];
  let touched: Touched;
  try {
    touched = await db.$transaction(
      async (tx) => {
        // Batch ids are per token, so two clients cannot collide; the primary key makes a retry a no-op.
        const claimed = await tx.$executeRaw`
          INSERT INTO "IngestBatch" (id, "tokenId", "sampleCount", "eventCount")
          VALUES (${`${tokenId}:${batch.batchId}`}, ${tokenId}, ${batch.samples.length}, ${batch.events.length})
          ON CONFLICT (id) DO NOTHING`;
        if (claimed === 0) throw new DuplicateBatch();

        const meetingIds = await resolveMeetings(tx, refs);
        const participantIds = await resolveParticipants(tx, refs, meetingIds);
        const idsOf = (r: Ref) => {
          const meetingId = meetingIds.get(meetingKey(r))!;
          return { meetingId, participantId: participantIds.get(participantKey(meetingId, r.endpointId))! };
        };

        if (batch.samples.length) {
          await insertSamples(
            tx,
            batch.samples.map((s) => {
              const ids = idsOf(s);
              return sampleRow(s, ids.participantId, ids.meetingId);
            }),
          );
        }
        if (batch.events.length) {
          await tx.participantEvent.createMany({
            data: batch.events.map((e) => ({ ...idsOf(e), kind: EVENT_KIND[e.kind], occurredAt: new Date(e.occurredAt), detail: e.detail })),
          });
          // The latest join/leave of each participant in this batch decides whether they are in the meeting.
          const presence = new Map<string, Date | null>();
          for (const e of [...batch.events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))) {
            if (e.kind === "join" || e.kind === "leave") presence.set(idsOf(e).participantId, e.kind === "leave" ? new Date(e.occurredAt) : null);
          }
          for (const [id, leftAt] of presence) await tx.participant.update({ where: { id }, data: { leftAt } });
        }
        // the newest sample or event time per meeting and participant, for "last seen" (and reopening) below
        const latest = (pairs: Array<[string, Date]>) => {
          const byId = new Map<string, Date>();
          for (const [id, at] of pairs) if (!byId.has(id) || at > byId.get(id)!) byId.set(id, at);
          return byId;
        };
        const withIds = refs.map((r) => ({ ...idsOf(r), at: r.at }));
        return { meetings: latest(withIds.map((r) => [r.meetingId, r.at])), participants: latest(withIds.map((r) => [r.participantId, r.at])) };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (error instanceof DuplicateBatch) return { status: "duplicate" };
    throw error;
  }
  await markSeen(db, touched, now);
  return { status: "accepted", samples: batch.samples.length, events: batch.events.length, meetingIds: [...touched.meetings.keys()] };
}

/** Ids written by a batch, each with the newest time the batch holds for it. */
interface Touched {
  meetings: Map<string, Date>;
  participants: Map<string, Date>;
}

/**
 * Moves "last seen", and reopens a meeting or participant that housekeeping closed for silence when samples
 * newer than that close arrive (a client that paused, or re-sent what it buffered).
 */
async function markSeen(db: Db, touched: Touched, now: Date): Promise<void> {
  const due = (byId: Map<string, Date>) => [...byId].filter(([id]) => now.getTime() - (lastSeenWritten.get(id) ?? 0) >= LAST_SEEN_WRITE_INTERVAL_MS);
  const meetings = due(touched.meetings);
  const participants = due(touched.participants);
  if (lastSeenWritten.size > 200_000) lastSeenWritten.clear(); // bounded; a clear only costs a few extra writes
  for (const [id] of [...meetings, ...participants]) lastSeenWritten.set(id, now.getTime());
  const ids = (rows: Array<[string, Date]>) => rows.map(([id]) => id);
  const ats = (rows: Array<[string, Date]>) => rows.map(([, at]) => at.toISOString());
  if (meetings.length) {
    await db.$executeRaw`
      UPDATE "Meeting" m SET "lastSeenAt" = ${utc(now)}, "endedAt" = CASE WHEN m."endedAt" < (w.at AT TIME ZONE 'UTC') THEN NULL ELSE m."endedAt" END
      FROM unnest(${ids(meetings)}::text[], ${ats(meetings)}::timestamptz[]) AS w(id, at) WHERE m.id = w.id`;
  }
  if (participants.length) {
    await db.$executeRaw`
      UPDATE "Participant" p SET "lastSeenAt" = ${utc(now)}, "leftAt" = CASE WHEN p."leftAt" < (w.at AT TIME ZONE 'UTC') THEN NULL ELSE p."leftAt" END
      FROM unnest(${ids(participants)}::text[], ${ats(participants)}::timestamptz[]) AS w(id, at) WHERE p.id = w.id`;
  }
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Meeting id per (room, jitsiMeetingId): by Jitsi's meeting id when the client knows it, else the room's newest
 * live meeting. A client learns the meeting id only after joining, so the first id seen for a room names the
 * live meeting its earlier, id-less records opened. Only when one is missing are the rooms concerned locked
 * (transaction advisory locks, sorted: no deadlocks) and looked up again, so two batches cannot both create
 * "the live meeting" of a room.
 */
async function resolveMeetings(tx: Tx, refs: Array<Ref & { at: Date }>): Promise<Map<string, string>> {
  const firstSeen = new Map<string, Ref & { at: Date }>();
  for (const r of refs) {
    const seen = firstSeen.get(meetingKey(r));
    if (!seen || r.at < seen.at) firstSeen.set(meetingKey(r), r);
  }
  const wanted = [...firstSeen.values()];
  const byJitsiId = wanted.filter((r) => r.jitsiMeetingId).map((r) => r.jitsiMeetingId!);
  const byRoom = wanted.filter((r) => !r.jitsiMeetingId).map((r) => r.room);

  const found = new Map<string, string>();
  const lookUp = async () => {
    const rows = await tx.$queryRaw<Array<{ id: string; room: string; jitsiMeetingId: string | null; endedAt: Date | null }>>`
      SELECT id, room, "jitsiMeetingId", "endedAt" FROM "Meeting"
      WHERE "jitsiMeetingId" = ANY(${byJitsiId}::text[]) OR ("endedAt" IS NULL AND room = ANY(${byRoom}::text[]))
      ORDER BY "startedAt" DESC`;
    for (const m of rows) {
      if (m.jitsiMeetingId && byJitsiId.includes(m.jitsiMeetingId)) found.set(`id:${m.jitsiMeetingId}`, m.id);
      // the newest live meeting of a room wins
      if (m.endedAt === null && byRoom.includes(m.room) && !found.has(`room:${m.room}`)) found.set(`room:${m.room}`, m.id);
    }
  };
  await lookUp();
  const missingOf = () => wanted.filter((r) => !found.has(meetingKey(r)));
  if (missingOf().length) {
    const rooms = [...new Set(missingOf().map((r) => r.room))].sort();
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('meetscope.room:' || k)) FROM unnest(${rooms}::text[]) AS k`;
    await lookUp(); // another batch may have created it while we waited for the lock
    const unnamed = missingOf().filter((r) => r.jitsiMeetingId);
    if (unnamed.length) {
      await tx.$executeRaw`
        UPDATE "Meeting" m SET "jitsiMeetingId" = w.jid
        FROM unnest(${unnamed.map((r) => r.room)}::text[], ${unnamed.map((r) => r.jitsiMeetingId!)}::text[]) AS w(room, jid)
        WHERE m.id = (SELECT id FROM "Meeting" WHERE room = w.room AND "endedAt" IS NULL AND "jitsiMeetingId" IS NULL ORDER BY "startedAt" DESC LIMIT 1)`;
      await lookUp();
    }
    // a room both with and without the id in this batch gets one meeting: the named one, which the id-less find
    const missing = missingOf();
    const creating = missing.filter((r) => r.jitsiMeetingId || !missing.some((o) => o.jitsiMeetingId && o.room === r.room));
    if (creating.length) {
      await tx.meeting.createMany({
        data: creating.map((r) => ({ room: r.room, jitsiMeetingId: r.jitsiMeetingId ?? null, startedAt: r.at, lastSeenAt: r.at })),
        skipDuplicates: true,
      });
      await lookUp();
    }
  }
  return found;
}

/**
 * Participant id per (meeting, endpoint) in one statement: new ones are inserted (ON CONFLICT DO NOTHING takes
 * no lock on existing rows, so concurrent batches of one meeting do not queue), existing ones are read.
 */
async function resolveParticipants(tx: Tx, refs: Array<Ref & { at: Date }>, meetingIds: Map<string, string>): Promise<Map<string, string>> {
  const firstSeen = new Map<string, { meetingId: string; endpointId: string; displayName: string | null; at: Date }>();
  for (const r of refs) {
    const meetingId = meetingIds.get(meetingKey(r))!;
    const key = participantKey(meetingId, r.endpointId);
    const seen = firstSeen.get(key);
    if (!seen || r.at < seen.at) firstSeen.set(key, { meetingId, endpointId: r.endpointId, displayName: r.displayName ?? seen?.displayName ?? null, at: r.at });
  }
  const wanted = [...firstSeen.values()];
  const rows = await tx.$queryRaw<Array<{ id: string; meetingId: string; endpointId: string }>>`
    WITH wanted AS (
      SELECT * FROM unnest(${wanted.map((p) => p.meetingId)}::text[], ${wanted.map((p) => p.endpointId)}::text[],
                           ${wanted.map((p) => p.displayName)}::text[], ${wanted.map((p) => p.at.toISOString())}::text[]) AS u("meetingId", "endpointId", "displayName", at)
    ), inserted AS (
      INSERT INTO "Participant" (id, "meetingId", "endpointId", "displayName", "joinedAt", "lastSeenAt")
      SELECT gen_random_uuid()::text, "meetingId", "endpointId", "displayName", (at::timestamptz AT TIME ZONE 'UTC'), (at::timestamptz AT TIME ZONE 'UTC') FROM wanted
      ON CONFLICT ("meetingId", "endpointId") DO NOTHING
      RETURNING id, "meetingId", "endpointId"
    )
    SELECT id, "meetingId", "endpointId" FROM inserted
    UNION ALL
    SELECT p.id, p."meetingId", p."endpointId" FROM "Participant" p JOIN wanted w ON p."meetingId" = w."meetingId" AND p."endpointId" = w."endpointId"`;
  const ids = new Map(rows.map((p) => [participantKey(p.meetingId, p.endpointId), p.id]));
  // A participant another batch inserted while this statement ran is neither inserted nor visible to it
  // (its snapshot is older); a second statement sees it.
  const late = wanted.filter((p) => !ids.has(participantKey(p.meetingId, p.endpointId)));
  if (late.length) {
    const again = await tx.participant.findMany({
      where: { meetingId: { in: [...new Set(late.map((p) => p.meetingId))] }, endpointId: { in: [...new Set(late.map((p) => p.endpointId))] } },
      select: { id: true, meetingId: true, endpointId: true },
    });
    for (const p of again) ids.set(participantKey(p.meetingId, p.endpointId), p.id);
  }
  return ids;
}

/** Column name → PostgreSQL array type, for the unnest() insert of samples; the order is the column order. */
const SAMPLE_COLUMNS = {
  participantId: "text",
  meetingId: "text",
  sampledAt: "timestamp",
  videoSendBitrateKbps: "int",
  videoRecvBitrateKbps: "int",
  videoSendHeightPx: "int",
  videoRecvHeightPx: "int",
  videoSendFrameRateFps: "float8",
  videoRecvFrameRateFps: "float8",
  videoCodec: "text",
  audioSendBitrateKbps: "int",
  audioRecvBitrateKbps: "int",
  audioJitterMs: "float8",
  audioConcealedFraction: "float8",
  rttMs: "float8",
  lossSendFraction: "float8",
  lossRecvFraction: "float8",
  availableSendBandwidthKbps: "int",
  availableRecvBandwidthKbps: "int",
  transportProtocol: "text",
  relayed: "bool",
  qualityLimitationReason: "text",
  memoryUsedMb: "int",
  connectionQuality: "float8",
} as const satisfies Partial<Record<keyof Prisma.ParticipantSampleCreateManyInput, string>>;

/**
 * Inserts samples as one JSON parameter unpacked by PostgreSQL (json_to_recordset): one statement whatever the
 * batch size, and far less work in Node than an ORM's multi-row VALUES list or one array parameter per column.
 */
async function insertSamples(tx: Tx, rows: Prisma.ParticipantSampleCreateManyInput[]): Promise<void> {
  const names = Object.keys(SAMPLE_COLUMNS) as Array<keyof typeof SAMPLE_COLUMNS>;
  const columnList = Prisma.raw(names.map((n) => `"${n}"`).join(", "));
  // timestamps travel as ISO text (JSON.stringify of a Date) and are read as UTC, whatever the session's zone
  const recordType = Prisma.raw(names.map((n) => `"${n}" ${SAMPLE_COLUMNS[n] === "timestamp" ? "text" : SAMPLE_COLUMNS[n]}`).join(", "));
  const selectList = Prisma.raw(names.map((n) => (SAMPLE_COLUMNS[n] === "timestamp" ? `("${n}"::timestamptz AT TIME ZONE 'UTC')` : `"${n}"`)).join(", "));
  await tx.$executeRaw`INSERT INTO "ParticipantSample" (${columnList}) SELECT ${selectList} FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(${recordType})`;
}
