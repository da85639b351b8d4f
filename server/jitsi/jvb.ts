import type { Dispatcher } from "undici";
import { checkBaseUrl, isOk, joinUrl, requestJson, requestOk, requestText, statusError, type RequestOptions } from "./http";
import { jvbDebugSchema, jvbDrainSchema, jvbStatsSchema, versionSchema } from "./schemas";
import type { ComponentVersion, JvbDebug, JvbHealth, JvbStats } from "./types";

/** Client for a JVB's private HTTP server (default 127.0.0.1:8080); see jitsi-apis.md §1. */

export interface JitsiClientOptions {
  /** A keep-alive undici Agent or Pool shared across polls; undici's global dispatcher otherwise. */
  dispatcher?: Dispatcher;
  /** Per-request deadline (connect + headers + body). */
  timeoutMs: number;
}

export interface JvbClient {
  stats(): Promise<JvbStats>;
  health(): Promise<JvbHealth>;
  version(): Promise<ComponentVersion>;
  drainState(): Promise<boolean>;
  setDrain(enabled: boolean): Promise<void>;
  debug(): Promise<JvbDebug>;
  shutdown(graceful: boolean): Promise<void>;
}

/** What a 404 means on each REST group of the bridge: it is switched off (RestConfig / ConfigFilter). */
export const JVB_DISABLED_HINTS = {
  colibri:
    "COLIBRI REST is disabled on this bridge: enable it with videobridge.apis.rest.enabled=true (docker: COLIBRI_REST_ENABLED=true)",
  shutdown:
    "The shutdown REST API is disabled on this bridge: it needs videobridge.rest.shutdown.enabled=true and videobridge.apis.rest.enabled=true (docker: SHUTDOWN_REST_ENABLED=true and COLIBRI_REST_ENABLED=true)",
  drain: "The drain REST API is disabled on this bridge: enable it with videobridge.rest.drain.enabled=true",
  debug: "The debug REST API is disabled on this bridge: enable it with videobridge.rest.debug.enabled=true",
  health: "The health REST API is disabled on this bridge: enable it with videobridge.rest.health.enabled=true",
  version: "The version REST API is disabled on this bridge: enable it with videobridge.rest.version.enabled=true",
} as const;

/** Longer health messages are stack traces; the first part says what failed. */
const MAX_HEALTH_MESSAGE_CHARS = 1000;

export function createJvbClient(baseUrl: string, options: JitsiClientOptions): JvbClient {
  checkBaseUrl(baseUrl);
  const url = (path: string) => joinUrl(baseUrl, path);
  const opts = (extra: Partial<RequestOptions>): RequestOptions => ({ dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, ...extra });

  return {
    async stats() {
      const parsed = await requestJson(url("/colibri/stats"), jvbStatsSchema, opts({ disabledHint: JVB_DISABLED_HINTS.colibri }));
      // Bridges without current_timestamp: the arrival time is the best estimate (the snapshot is ≤ 5 s old).
      return { ...parsed, sampledAt: parsed.sampledAt ?? new Date() };
    },

    async health() {
      const healthUrl = url("/about/health");
      const res = await requestText(healthUrl, opts({}));
      const message = res.text.trim().slice(0, MAX_HEALTH_MESSAGE_CHARS) || null;
      if (isOk(res.status)) return { healthy: true, failure: null, httpStatus: res.status, message };
      // 500 and 503 are the bridge's own verdict (hard / soft failure), not a failed request.
      if (res.status === 500) return { healthy: false, failure: "hard", httpStatus: 500, message };
      if (res.status === 503) return { healthy: false, failure: "soft", httpStatus: 503, message };
      throw statusError(healthUrl, res, JVB_DISABLED_HINTS.health);
    },

    version() {
      return requestJson(url("/about/version"), versionSchema, opts({ disabledHint: JVB_DISABLED_HINTS.version }));
    },

    drainState() {
      return requestJson(url("/colibri/drain"), jvbDrainSchema, opts({ disabledHint: JVB_DISABLED_HINTS.drain }));
    },

    setDrain(enabled) {
      const path = enabled ? "/colibri/drain/enable" : "/colibri/drain/disable";
      return requestOk(url(path), opts({ method: "POST", disabledHint: JVB_DISABLED_HINTS.drain }));
    },

    debug() {
      // full=false: the SHORT form (endpoint ids only); the FULL one is ~25 KB per endpoint.
      return requestJson(joinUrl(baseUrl, "/debug", { full: "false" }), jvbDebugSchema, opts({ disabledHint: JVB_DISABLED_HINTS.debug }));
    },

    shutdown(graceful) {
      return requestOk(
        url("/colibri/shutdown"),
        opts({ method: "POST", json: { "graceful-shutdown": graceful }, disabledHint: JVB_DISABLED_HINTS.shutdown }),
      );
    },
  };
}
