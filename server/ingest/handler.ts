import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import type { Db } from "../db/client";
import type { LiveEvent } from "../live/bus";
import type { TokenIdentity } from "../tokens/tokens";
import { ingestBatch } from "./ingest";
import { ingestBatchSchema } from "./schema";

/**
 * The HTTP shell of POST /api/v1/ingest, independent of Next.js so tests can drive it with plain Requests.
 * Order: size (413) → rate (429) → JSON (400) → schema (400 naming each bad field) → one transaction.
 */

export interface IngestDeps {
  db: Db;
  maxBodyBytes: number;
  limiter: RateLimiterMemory;
  /** tells open pages about the new samples (server/live) */
  publish?: (event: LiveEvent) => void;
}

export function ingestLimiter(batchesPerMinute: number): RateLimiterMemory {
  return new RateLimiterMemory({ points: batchesPerMinute, duration: 60 });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

/** Reads at most `limit` bytes; null when the body is larger (then the rest is not read). */
async function readCapped(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function handleIngest(request: Request, token: TokenIdentity, deps: IngestDeps): Promise<Response> {
  const body = await readCapped(request, deps.maxBodyBytes);
  if (body === null) {
    return json(413, { error: `The body is larger than ${deps.maxBodyBytes} bytes: send smaller batches (at most 1000 samples and 1000 events each).` });
  }
  try {
    await deps.limiter.consume(token.id);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    return json(429, { error: `Too many batches for token "${token.name}": retry after ${retryAfterSeconds} s.` }, { "retry-after": String(retryAfterSeconds) });
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    return json(415, { error: `Send the batch as application/json (got "${contentType || "no content type"}").` });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return json(400, { error: `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
  const parsed = ingestBatchSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
    return json(400, { error: `Invalid batch: ${issues.map((i) => `${i.path}: ${i.message}`).slice(0, 5).join("; ")}`, issues });
  }
  const result = await ingestBatch(deps.db, parsed.data, token.id);
  if (result.status === "duplicate") return json(200, { status: "duplicate", batchId: parsed.data.batchId });
  deps.publish?.({ type: "samples", meetingIds: result.meetingIds });
  return json(200, { status: "accepted", samples: result.samples, events: result.events, batchId: parsed.data.batchId });
}

export const ingestResponseSchema = z.object({
  status: z.enum(["accepted", "duplicate"]),
  batchId: z.string(),
  samples: z.number().int().optional(),
  events: z.number().int().optional(),
});
