import { withTier } from "@/server/api/route-tier";
import { db } from "@/server/db/client";
import { config } from "@/server/config/env";
import { handleIngest, ingestLimiter, type IngestDeps } from "@/server/ingest/handler";
import { publish } from "@/server/live/bus";

let deps: IngestDeps | undefined;
const ingestDeps = () =>
  (deps ??= { db: db(), maxBodyBytes: config().ingest.maxBodyBytes, limiter: ingestLimiter(config().ingest.batchesPerMinutePerToken), publish });

/** Meeting clients post participant samples and events (see GET /api/v1/openapi.json). */
export const POST = withTier("ingestToken", (request: Request, _context: unknown, { token }) => handleIngest(request, token!, ingestDeps()));
