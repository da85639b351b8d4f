import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { SourceError } from "./types";

/**
 * Test helpers: a real HTTP server on 127.0.0.1 and an OS-chosen port, recording every request and counting TCP
 * connections, so the clients are exercised over real sockets (keep-alive, resets, timeouts included).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** the raw query string without "?", for asserting exact encoding */
  search: string;
  contentType: string | undefined;
  body: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far */
  connections(): number;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        search: url.search.replace(/^\?/, ""),
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        // Idle keep-alive sockets and deliberately hung requests would otherwise keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves fixed answers by path; anything else is 404 like a disabled Jitsi REST group. */
export function routes(table: Record<string, Handler>): Handler {
  return (req, res) => {
    const route = table[req.path];
    if (route) route(req, res);
    else sendText(res, 404, "Not Found");
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A loopback port nothing listens on (it was just released by a server of ours). */
export async function closedPort(): Promise<number> {
  const server = await startServer(() => {});
  const port = Number(new URL(server.url).port);
  await server.close();
  return port;
}

/** The SourceError a call fails with (fails the test if it resolves or throws something else). */
export async function sourceErrorOf(call: Promise<unknown>): Promise<SourceError> {
  const outcome = await call.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).toHaveProperty("error");
  const error = "error" in outcome ? outcome.error : undefined;
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}
