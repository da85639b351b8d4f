import { z } from "zod";

/**
 * The body of POST /api/v1/ingest: a batch of participant samples and events from meeting clients
 * (lib-jitsi-meet connection stats and WebRTC getStats, normalized by the client). "send" is what the
 * participant sends to the bridge, "recv" what it receives. Every number carries its unit in its name.
 */

export const MAX_SAMPLES_PER_BATCH = 1000;
export const MAX_EVENTS_PER_BATCH = 1000;

const fraction = z.number().min(0).max(1);
const kbps = z.number().int().min(0).max(10_000_000);
const ms = z.number().min(0).max(600_000);
const timestamp = z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time, e.g. 2026-11-25T10:15:00Z" });

const participantRef = {
  /** Room name as in the meeting URL; case-insensitive like Jitsi's */
  room: z.string().trim().min(1).max(200).regex(/^[^\s/?#]+$/, "room must not contain spaces, '/', '?' or '#'").transform((s) => s.toLowerCase()),
  /** Jitsi's meeting id (the conference's meeting_id UUID), when the client knows it */
  jitsiMeetingId: z.uuid().optional(),
  /** The participant's endpoint id in the conference */
  endpointId: z.string().min(1).max(64),
  displayName: z.string().max(200).optional(),
};

export const videoSendSchema = z.strictObject({
  bitrateKbps: kbps.optional(),
  heightPx: z.number().int().min(0).max(4320).optional(),
  frameRateFps: z.number().min(0).max(240).optional(),
  codec: z.string().max(32).optional(),
});
export const videoRecvSchema = videoSendSchema;

export const sampleSchema = z.strictObject({
  ...participantRef,
  sampledAt: timestamp,
  video: z.strictObject({ send: videoSendSchema.optional(), recv: videoRecvSchema.optional() }).optional(),
  audio: z
    .strictObject({
      send: z.strictObject({ bitrateKbps: kbps.optional() }).optional(),
      recv: z.strictObject({ bitrateKbps: kbps.optional(), jitterMs: ms.optional(), concealedFraction: fraction.optional() }).optional(),
    })
    .optional(),
  network: z
    .strictObject({
      rttMs: ms.optional(),
      lossSendFraction: fraction.optional(),
      lossRecvFraction: fraction.optional(),
      availableSendBandwidthKbps: kbps.optional(),
      availableRecvBandwidthKbps: kbps.optional(),
      transport: z.enum(["udp", "tcp"]).optional(),
      relayed: z.boolean().optional(),
    })
    .optional(),
  resources: z
    .strictObject({
      qualityLimitationReason: z.enum(["none", "cpu", "bandwidth", "other"]).optional(),
      memoryUsedMb: z.number().int().min(0).max(1_000_000).optional(),
    })
    .optional(),
  /** lib-jitsi-meet's own 0–100 connection quality */
  connectionQuality: z.number().min(0).max(100).optional(),
});

export const EVENT_KINDS = ["join", "leave", "reconnect", "ice_failure"] as const;

export const eventSchema = z.strictObject({
  ...participantRef,
  kind: z.enum(EVENT_KINDS),
  occurredAt: timestamp,
  detail: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
});

export const ingestBatchSchema = z
  .strictObject({
    /** Unique per batch: a retry with the same id is accepted once (idempotent). */
    batchId: z.string().min(8).max(100).regex(/^[A-Za-z0-9._:-]+$/, "batchId may contain letters, digits and . _ : - only"),
    /**
     * The client's clock when it sent this request (set again on each retry). A browser's clock may be off by
     * minutes; Meetscope moves the batch's times by (its own receive time − sentAt), so samples land in the
     * analysis window they belong to. Without it, the times are taken as they are.
     */
    sentAt: timestamp.optional(),
    samples: z.array(sampleSchema).max(MAX_SAMPLES_PER_BATCH).default([]),
    events: z.array(eventSchema).max(MAX_EVENTS_PER_BATCH).default([]),
  })
  .refine((b) => b.samples.length + b.events.length > 0, { message: "a batch needs at least one sample or event", path: ["samples"] });

export type IngestBatch = z.infer<typeof ingestBatchSchema>;
export type IngestBatchInput = z.input<typeof ingestBatchSchema>;
export type IngestSample = z.infer<typeof sampleSchema>;
export type IngestEvent = z.infer<typeof eventSchema>;
