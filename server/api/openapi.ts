import { z } from "zod";
import { liveMeetingViewSchema, meetingReportViewSchema } from "../analyzer/meetings-view";
import { bridgeViewSchema } from "../fleet/bridges-view";
import { ingestResponseSchema } from "../ingest/handler";
import { ingestBatchSchema } from "../ingest/schema";

/** The OpenAPI 3.1 description of /api/v1, generated from the same zod schemas that validate the traffic. */

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "output") {
  return z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    // Dates travel as ISO 8601 strings in JSON.
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  });
}

const errorSchema = z.object({ error: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: jsonSchema(errorSchema) } } });

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Meetscope API",
      version: "1",
      description:
        "Meeting clients post participant samples and events; tools read the fleet. Authenticate with an API token from Settings → API tokens " +
        "(or `npm run token -- create`) as `Authorization: Bearer <token>`; ingest tokens can only post, read tokens can only read.",
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { token: { type: "http", scheme: "bearer" } } },
    security: [{ token: [] }],
    paths: {
      "/api/v1/ingest": {
        post: {
          summary: "Post a batch of participant samples and events",
          description:
            "All or nothing: a batch that fails validation writes nothing and the 400 names every bad field. A batch id already accepted " +
            "from the same token is answered `duplicate` and not written again, so retries are safe.",
          requestBody: { required: true, content: { "application/json": { schema: jsonSchema(ingestBatchSchema, "input") } } },
          responses: {
            "200": { description: "Accepted, or a duplicate of an accepted batch", content: { "application/json": { schema: jsonSchema(ingestResponseSchema) } } },
            "400": errorResponse("Not JSON, or a field is invalid (see issues[].path)"),
            "401": errorResponse("No token, or unknown or revoked"),
            "403": errorResponse("The token's scope is not ingest"),
            "413": errorResponse("The body is too large"),
            "415": errorResponse("The body is not application/json"),
            "429": { ...errorResponse("Too many batches for this token; see Retry-After"), headers: { "Retry-After": { schema: { type: "integer" }, description: "seconds" } } },
          },
        },
      },
      "/api/v1/bridges": {
        get: {
          summary: "Every bridge with its status and latest figures",
          responses: {
            "200": { description: "The bridges", content: { "application/json": { schema: jsonSchema(z.object({ bridges: z.array(bridgeViewSchema) })) } } },
            "401": errorResponse("No token, or unknown or revoked"),
            "403": errorResponse("The token's scope is not read"),
          },
        },
      },
      "/api/v1/meetings": {
        get: {
          summary: "Live meetings with their latest health score",
          responses: {
            "200": { description: "The live meetings", content: { "application/json": { schema: jsonSchema(z.object({ meetings: z.array(liveMeetingViewSchema) })) } } },
            "401": errorResponse("No token, or unknown or revoked"),
            "403": errorResponse("The token's scope is not read"),
          },
        },
      },
      "/api/v1/meetings/{id}/report": {
        get: {
          summary: "A meeting's latest performance report: score, per-participant MOS and classification, issues with their cause",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": { description: "The report", content: { "application/json": { schema: jsonSchema(z.object({ report: meetingReportViewSchema })) } } },
            "400": errorResponse("The id is not a UUID"),
            "401": errorResponse("No token, or unknown or revoked"),
            "403": errorResponse("The token's scope is not read"),
            "404": errorResponse("No report for this meeting yet"),
          },
        },
      },
      "/api/v1/bridges/{id}": {
        get: {
          summary: "One bridge",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The bridge", content: { "application/json": { schema: jsonSchema(z.object({ bridge: bridgeViewSchema })) } } },
            "401": errorResponse("No token, or unknown or revoked"),
            "403": errorResponse("The token's scope is not read"),
            "404": errorResponse("No bridge with this id"),
          },
        },
      },
    },
  };
}
