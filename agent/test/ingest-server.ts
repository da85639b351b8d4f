import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ingestBatchSchema, type IngestBatch } from "../../server/ingest/schema";

/**
 * A real HTTP server on 127.0.0.1 standing in for Meetscope's POST /api/v1/ingest: it validates every body
 * with the server's own `ingestBatchSchema`, remembers accepted batch ids (a retry answers "duplicate"), and
 * lets each test script the status codes.
 */

export interface ReceivedRequest {
  atMs: number;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The parsed batch when the body passed ingestBatchSchema */
  batch: IngestBatch | null;
  schemaError: string | null;
  status: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Decides the answer to the n-th request (0-based); undefined → the default 200/duplicate answer. */
export type Script = (batch: IngestBatch | null, n: number) => Reply | undefined;

/** Answers GET requests (a test page and its scripts); undefined → 404. */
export type StaticRoutes = (path: string) => { contentType: string; body: string } | undefined;

export interface IngestServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Samples of accepted (200, not duplicate) batches, in arrival order */
  acceptedSamples(): IngestBatch["samples"];
  acceptedEvents(): IngestBatch["events"];
  script: Script;
  close(): Promise<void>;
  /** Listens again on the same port after close() (the "server comes back" case) */
  reopen(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startIngestServer(script: Script = () => undefined, routes: StaticRoutes = () => undefined): Promise<IngestServer> {
  const requests: ReceivedRequest[] = [];
  const accepted = new Map<string, IngestBatch>();
  let server: Server;

  const state: IngestServer = {
    url: "",
    port: 0,
    requests,
    script,
    acceptedSamples: () => [...accepted.values()].flatMap((b) => b.samples),
    acceptedEvents: () => [...accepted.values()].flatMap((b) => b.events),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; drop them so the port is really free
        server.closeAllConnections();
      }),
    reopen: () => listen(state.port),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET") {
      const found = routes(req.url ?? "/");
      res.writeHead(found ? 200 : 404, { "content-type": found?.contentType ?? "text/plain" });
      res.end(found?.body ?? "not found");
      return;
    }
    const text = await readBody(req);
    let batch: IngestBatch | null = null;
    let schemaError: string | null = null;
    try {
      const parsed = ingestBatchSchema.safeParse(JSON.parse(text));
      if (parsed.success) batch = parsed.data;
      else schemaError = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    } catch (error) {
      schemaError = String(error);
    }
    const n = requests.length;
    let reply = state.script(batch, n);
    if (!reply) {
      if (!batch) reply = { status: 400, body: { error: `Invalid batch: ${schemaError}` } };
      else if (accepted.has(batch.batchId)) reply = { status: 200, body: { status: "duplicate", batchId: batch.batchId } };
      else {
        accepted.set(batch.batchId, batch);
        reply = { status: 200, body: { status: "accepted", batchId: batch.batchId, samples: batch.samples.length, events: batch.events.length } };
      }
    }
    requests.push({
      atMs: Date.now(),
      path: req.url ?? "",
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      batch,
      schemaError,
      status: reply.status,
    });
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body ?? {}));
  };

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        state.port = (server.address() as AddressInfo).port;
        state.url = `http://127.0.0.1:${state.port}`;
        resolve();
      });
    });

  await listen(0);
  return state;
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
