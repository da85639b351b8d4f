/**
 * The simulated Jicofo REST server (upstream: Ktor, 127.0.0.1:8888). Routes, status codes and error texts follow
 * jicofo's ktor/Application.kt and exception/Exceptions.kt:
 * - bad input → 400 text "Bad request: …"; the move API's not-found errors are not mapped by the handler, so they
 *   answer 500 "Not found: Bridge not found" / "Not found: Conference not found";
 * - a malformed number (numEndpoints=abc) is a NumberFormatException → 500 with its message;
 * - /about/health exists only with jicofo.health.enabled (default false) → 404 here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, type Listening, parseUrl, send } from "./http-util";
import { toJavaJson } from "./java-json";
import { type FleetModel, MoveError } from "./model";
import { jicofoConferenceByJid, jicofoConferenceList, jicofoConferencesFull, jicofoDebug, jicofoStats } from "./views";

export interface JicofoServerOptions {
  model: FleetModel;
  /** 0 = ephemeral */
  port: number;
  /** called after the move API changed placements (the fleet refreshes the model) */
  onChange?: () => void;
}

export interface JicofoServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** respondJson: ContentType.Application.Json without a charset (Ktor adds one only to text/*). */
const JSON_RAW = "application/json";
/** call.respond(object) through Jackson content negotiation */
const JSON_NEGOTIATED = "application/json; charset=UTF-8";
const TEXT = "text/plain; charset=UTF-8";

/** java.lang.Integer.parseInt, as Kotlin's String.toInt() */
export function kotlinToInt(s: string): number {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (n >= -2_147_483_648 && n <= 2_147_483_647) return n;
  }
  throw new Error(`For input string: "${s}"`);
}

/** java.lang.Double.parseDouble, as Kotlin's String.toDouble() */
export function kotlinToDouble(s: string): number {
  const t = s.trim();
  if (t === "") throw new Error("empty String");
  const m = /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/.exec(t);
  if (!m) throw new Error(`For input string: "${s}"`);
  const v = m[2] === "NaN" ? NaN : m[2] === "Infinity" ? Infinity : Number(m[2]);
  return m[1] === "-" ? -v : v;
}

export async function startJicofoServer(options: JicofoServerOptions): Promise<JicofoServer> {
  const { model } = options;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = parseUrl(req);
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    const q = (name: string) => url.searchParams.get(name);
    const json = (body: Parameters<typeof toJavaJson>[0], type = JSON_RAW) => send(res, 200, toJavaJson(body), type);
    const known = [
      "/about/version", "/stats", "/debug", "/debug/conferences", "/debug/conferences-full",
      "/move-endpoints/move-endpoint", "/move-endpoints/move-endpoints", "/move-endpoints/move-fraction",
    ];
    if (method !== "GET" && (known.includes(path) || path.startsWith("/debug/conference/"))) return send(res, 405, "", null);
    if (method !== "GET") return send(res, 404, "", null);

    switch (path) {
      case "/about/version":
        return send(res, 200, JSON.stringify({ name: "JiCoFo", version: model.jicofo.version, os: "Linux" }), JSON_NEGOTIATED);
      case "/stats":
        return json(jicofoStats(model));
      case "/debug":
        return json(jicofoDebug(model, q("full") === "true"));
      case "/debug/conferences":
        return json(jicofoConferenceList(model));
      case "/debug/conferences-full":
        return json(jicofoConferencesFull(model));
      case "/move-endpoints/move-endpoint":
      case "/move-endpoints/move-endpoints":
      case "/move-endpoints/move-fraction":
        return move(path, q, res);
      default:
        break;
    }
    if (path.startsWith("/debug/conference/")) {
      const jid = decodeURIComponent(path.slice("/debug/conference/".length));
      const at = jid.indexOf("@");
      if (at <= 0 || at === jid.length - 1 || jid.includes("/")) return send(res, 400, "Bad request: Invalid conference ID", TEXT);
      return json(jicofoConferenceByJid(model, jid));
    }
    // Ktor: no route → 404 with an empty body
    return send(res, 404, "", null);
  };

  const move = (path: string, q: (name: string) => string | null, res: ServerResponse): void => {
    try {
      let result;
      if (path.endsWith("/move-endpoint")) {
        result = model.moveEndpoint(q("conference"), q("endpoint"), q("bridge"));
      } else if (path.endsWith("/move-endpoints")) {
        const n = q("numEndpoints");
        result = model.moveEndpoints(q("bridge"), q("conference"), n === null ? 1 : kotlinToInt(n));
      } else {
        const f = q("fraction");
        result = model.moveFraction(q("bridge"), f === null ? 0.1 : kotlinToDouble(f));
      }
      options.onChange?.();
      return send(res, 200, JSON.stringify({ movedEndpoints: result.movedEndpoints, conferences: result.conferences }), JSON_NEGOTIATED);
    } catch (err) {
      if (err instanceof MoveError) {
        if (err.kind === "missing-parameter" || err.kind === "invalid-parameter") return send(res, 400, `Bad request: ${err.message}`, TEXT);
        // translateException maps these to NotFound("Bridge not found") / NotFound("Conference not found"),
        // which ExceptionHandler does not special-case: 500 with the message
        return send(res, 500, err.kind === "bridge-not-found" ? "Not found: Bridge not found" : "Not found: Conference not found", TEXT);
      }
      return send(res, 500, err instanceof Error ? err.message : "Error", TEXT);
    }
  };

  const listening: Listening = await listen((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, err instanceof Error ? err.message : "Error", TEXT);
    }
  }, options.port);

  return { port: listening.port, url: listening.url, close: () => listening.close() };
}
