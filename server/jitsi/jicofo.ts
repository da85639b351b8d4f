import { checkBaseUrl, joinUrl, requestJson, type RequestOptions } from "./http";
import type { JitsiClientOptions } from "./jvb";
import { jicofoDebugSchema, jicofoStatsSchema, moveResultSchema, versionSchema } from "./schemas";
import type { ComponentVersion, JicofoDebug, JicofoStats, MoveResult } from "./types";

/** Client for Jicofo's REST server (default 127.0.0.1:8888); see jitsi-apis.md §2. */

export interface MoveEndpointParams {
  /** room JID, e.g. room1@conference.example.org */
  conference: string;
  endpoint: string;
  /** target bridge: full brewery JID or its nickname; omitted → Jicofo's selection strategy picks */
  bridge?: string;
}

export interface MoveEndpointsParams {
  /** bridge to move endpoints off: full brewery JID or nickname (e.g. jvb1) */
  bridge: string;
  conference?: string;
  /** Jicofo's default: 1 */
  numEndpoints?: number;
}

export interface MoveFractionParams {
  bridge: string;
  /** 0–1 of the bridge's endpoints; Jicofo's default: 0.1 */
  fraction?: number;
}

export interface JicofoClient {
  stats(): Promise<JicofoStats>;
  debug(): Promise<JicofoDebug>;
  version(): Promise<ComponentVersion>;
  moveEndpoint(p: MoveEndpointParams): Promise<MoveResult>;
  moveEndpoints(p: MoveEndpointsParams): Promise<MoveResult>;
  moveFraction(p: MoveFractionParams): Promise<MoveResult>;
}

export const JICOFO_DISABLED_HINTS = {
  moveEndpoints: "The move-endpoints REST API is disabled on this Jicofo: enable it with jicofo.rest.move-endpoints.enabled=true",
  debug: "The debug REST API is disabled on this Jicofo: enable it with jicofo.rest.debug.enabled=true",
} as const;

export function createJicofoClient(baseUrl: string, options: JitsiClientOptions): JicofoClient {
  checkBaseUrl(baseUrl);
  const opts = (extra: Partial<RequestOptions> = {}): RequestOptions => ({ dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, ...extra });

  // The move API acts but is a GET with query parameters. Jicofo answers 400 "Bad request: …" for bad input and
  // 500 "Not found: …" for an unknown bridge or conference; both surface as kind "http" carrying that text.
  const move = (action: string, query: Record<string, string | number | undefined>) =>
    requestJson(joinUrl(baseUrl, `/move-endpoints/${action}`, query), moveResultSchema, opts({ disabledHint: JICOFO_DISABLED_HINTS.moveEndpoints }));

  return {
    stats() {
      return requestJson(joinUrl(baseUrl, "/stats"), jicofoStatsSchema, opts());
    },
    debug() {
      return requestJson(joinUrl(baseUrl, "/debug"), jicofoDebugSchema, opts({ disabledHint: JICOFO_DISABLED_HINTS.debug }));
    },
    version() {
      return requestJson(joinUrl(baseUrl, "/about/version"), versionSchema, opts());
    },
    moveEndpoint(p) {
      return move("move-endpoint", { conference: p.conference, endpoint: p.endpoint, bridge: p.bridge });
    },
    moveEndpoints(p) {
      return move("move-endpoints", { bridge: p.bridge, conference: p.conference, numEndpoints: p.numEndpoints });
    },
    moveFraction(p) {
      return move("move-fraction", { bridge: p.bridge, fraction: p.fraction });
    },
  };
}
