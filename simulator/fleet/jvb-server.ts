/**
 * One simulated videobridge's private HTTP server (upstream default 127.0.0.1:8080), serving the REST groups a
 * docker-jitsi-meet bridge with COLIBRI_REST_ENABLED and SHUTDOWN_REST_ENABLED has. Responses mimic Jersey/Jetty:
 * JSON as `application/json`, unknown paths and disabled groups as Jetty's HTML 404 page.
 *
 * Per-request work is small: /colibri/stats is serialized once per model tick (and after a state change) and a
 * request only splices in `current_timestamp`, which upstream formats at request time.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { LOOPBACK, listen, type Listening, parseUrl, readBody, send } from "./http-util";
import { toJavaJson } from "./java-json";
import type { FleetModel } from "./model";
import { colibriStatsTemplate, jvbDebug, jvbTimestamp } from "./views";

/**
 * Fault injection for collector tests: `slow` answers after delayMs; `garbage` answers 200 with an HTML page (a
 * misrouted reverse proxy); `error` answers 502 with nginx's page.
 */
export type JvbFault = { mode: "none" } | { mode: "slow"; delayMs: number } | { mode: "garbage" } | { mode: "error" };

export interface JvbServerOptions {
  model: FleetModel;
  bridgeName: string;
  /** 0 = ephemeral */
  port: number;
  /** request clock, for current_timestamp and /debug time (default Date.now) */
  now?: () => number;
}

export interface JvbServer {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  fault: JvbFault;
  close(): Promise<void>;
  readonly closed: boolean;
}

const JSON_TYPE = "application/json";

function jettyError(res: ServerResponse, status: number, reason: string, uri: string): void {
  const esc = uri.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
<title>Error ${status} ${reason}</title>
</head>
<body>
<h2>HTTP ERROR ${status} ${reason}</h2>
<table>
<tr><th>URI:</th><td>${esc}</td></tr>
<tr><th>STATUS:</th><td>${status}</td></tr>
<tr><th>MESSAGE:</th><td>${reason}</td></tr>
<tr><th>SERVLET:</th><td>org.glassfish.jersey.servlet.ServletContainer-1c2c22f3</td></tr>
</table>

</body>
</html>
`;
  send(res, status, body, "text/html;charset=iso-8859-1");
}

const GARBAGE_PAGE = `<!DOCTYPE html>
<html><head><title>Welcome</title></head>
<body><h1>It works!</h1><p>This is the default web page for this server.</p></body></html>
`;

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

export async function startJvbServer(options: JvbServerOptions): Promise<JvbServer> {
  const { model, bridgeName } = options;
  const now = options.now ?? Date.now;
  let cache: { key: string; head: string; tail: string } | null = null;
  let listening: Listening | null = null;
  let closed = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const bridge = model.bridge(bridgeName);
    const url = parseUrl(req);
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (!bridge || bridge.failed || bridge.gone) {
      // the process is dead; the fleet closes the listener, this only covers the race
      req.socket.destroy();
      return;
    }
    if (server.fault.mode === "slow") await new Promise((r) => setTimeout(r, (server.fault as { delayMs: number }).delayMs));
    if (server.fault.mode === "garbage") return send(res, 200, GARBAGE_PAGE, "text/html");
    if (server.fault.mode === "error") return send(res, 502, NGINX_502, "text/html");

    const notAllowed = () => jettyError(res, 405, "Method Not Allowed", path);

    if (path.startsWith("/colibri/debug")) {
      return send(res, 301, "", null, { location: `/debug${path.slice("/colibri/debug".length)}${url.search}` });
    }

    if (path === "/colibri/stats") {
      if (!bridge.colibriRestEnabled) return jettyError(res, 404, "Not Found", path);
      if (method !== "GET") return notAllowed();
      const key = `${model.tick}:${bridge.revision}`;
      if (!cache || cache.key !== key) cache = { key, ...colibriStatsTemplate(bridge) };
      return send(res, 200, cache.head + jvbTimestamp(now()) + cache.tail, JSON_TYPE);
    }

    if (path === "/colibri/drain") {
      if (method !== "GET") return notAllowed();
      return send(res, 200, JSON.stringify({ drain: bridge.drain }), JSON_TYPE);
    }
    if (path === "/colibri/drain/enable" || path === "/colibri/drain/disable") {
      if (method !== "POST") return notAllowed();
      model.setDrain(bridgeName, path.endsWith("/enable"));
      return send(res, 200, "", null);
    }

    if (path === "/colibri/shutdown") {
      // needs the COLIBRI group and the shutdown group
      if (!bridge.colibriRestEnabled || !bridge.shutdownRestEnabled) return jettyError(res, 404, "Not Found", path);
      if (method !== "POST") return notAllowed();
      const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json") return jettyError(res, 415, "Unsupported Media Type", path);
      let graceful: unknown;
      try {
        const parsed: unknown = JSON.parse(await readBody(req));
        graceful = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>)["graceful-shutdown"] : undefined;
      } catch {
        graceful = undefined;
      }
      if (typeof graceful !== "boolean") {
        // Jackson's mapping exception through Jersey's JsonMappingExceptionMapper
        return send(res, 400, 'Missing required creator property \'graceful-shutdown\' (index 0)', "text/plain");
      }
      model.shutdown(bridgeName, graceful);
      return send(res, 200, "", null);
    }

    if (path === "/about/health") {
      if (method !== "GET") return notAllowed();
      if (bridge.health === "healthy") return send(res, 200, "", JSON_TYPE);
      return send(res, bridge.health === "soft-failure" ? 503 : 500, bridge.healthMessage ?? "Unknown error.", "text/plain");
    }

    if (path === "/about/version") {
      if (method !== "GET") return notAllowed();
      return send(res, 200, JSON.stringify({ name: "JVB", version: bridge.version, os: "Linux" }), JSON_TYPE);
    }

    if (path === "/debug" || path === "/debug/" || path.startsWith("/debug/")) {
      if (method !== "GET") return notAllowed();
      const rest = path.slice("/debug".length).split("/").filter((s) => s !== "").map(decodeURIComponent);
      if (rest[0] === "stats" || rest[0] === "features") return jettyError(res, 404, "Not Found", path);
      if (rest.length > 2) return jettyError(res, 404, "Not Found", path);
      const fullParam = url.searchParams.get("full");
      // /debug defaults to SHORT, /debug/{confId}[/{epId}] to FULL
      const full = rest.length === 0 ? fullParam === "true" : fullParam === null ? true : fullParam === "true";
      const body = jvbDebug(model, bridge, {
        conferenceId: rest[0],
        endpointId: rest[1],
        full,
        withHealth: rest.length === 0,
        nowMs: now(),
      });
      return send(res, 200, toJavaJson(body), JSON_TYPE);
    }

    return jettyError(res, 404, "Not Found", path);
  };

  listening = await listen((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, String(err instanceof Error ? err.message : err), "text/plain");
    });
  }, options.port);

  const server: JvbServer = {
    name: bridgeName,
    port: listening.port,
    url: `http://${LOOPBACK}:${listening.port}`,
    fault: { mode: "none" },
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      await listening?.close();
    },
  };
  return server;
}
