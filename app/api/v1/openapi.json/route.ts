import { withTier } from "@/server/api/route-tier";
import { openApiDocument } from "@/server/api/openapi";
import { config } from "@/server/config/env";

/** The API's description, public so that tools can discover it. */
export const GET = withTier("public", () => Response.json(openApiDocument(config().publicUrl)));
