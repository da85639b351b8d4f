/** Small node:http helpers shared by the simulated JVB, Jicofo and the control API. Loopback only. */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const LOOPBACK = "127.0.0.1";

export interface Listening {
  server: Server;
  port: number;
  url: string;
  /** stop listening and drop every open connection (a dead process answers nothing) */
  close(): Promise<void>;
}

export async function listen(handler: RequestListener, port: number): Promise<Listening> {
  const server = createServer(handler);
  // Pollers keep connections alive between 5 s polls; match the common 5 s idle default but never hang a stop().
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, LOOPBACK, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  return {
    server,
    port: actual,
    url: `http://${LOOPBACK}:${actual}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

export function send(res: ServerResponse, status: number, body: string, contentType: string | null, extra: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = { "content-length": Buffer.byteLength(body), ...extra };
  if (contentType !== null) headers["content-type"] = contentType;
  res.writeHead(status, headers);
  res.end(body);
}

export async function readBody(req: IncomingMessage, limitBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw new Error("body too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function parseUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? "/", `http://${LOOPBACK}`);
}
