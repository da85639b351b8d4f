/**
 * The simulated Jitsi fleet as a running thing: the model ticking in real time, one HTTP server per videobridge,
 * one Jicofo, optional ingest clients, and a small JSON control API for tests and demos.
 *
 * Ports: with basePort P > 0, jvbN listens on P + N − 1, Jicofo on P − 1 and the control API on P − 2 (unless
 * jicofoPort / controlPort say otherwise); basePort 0 makes every port ephemeral. Everything binds 127.0.0.1.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { type IngestClients, startIngestClients } from "./clients";
import { listen, type Listening, parseUrl, readBody, send } from "./http-util";
import { startJicofoServer, type JicofoServer } from "./jicofo-server";
import { type JvbFault, type JvbServer, startJvbServer } from "./jvb-server";
import {
  type AddBridgeOptions,
  BAD_NETWORK_TARGET,
  CPU_STARVED_TARGET,
  FleetModel,
  isScenarioName,
  type NetworkOverride,
  SCENARIO_DESCRIPTIONS,
  SCENARIO_NAMES,
  type ScenarioName,
  type SelectionStrategyName,
} from "./model";

export interface FleetOptions {
  bridges?: number;
  scenario?: ScenarioName;
  seed?: number;
  /** 0 = ephemeral ports (tests); default 0 */
  basePort?: number;
  jicofoPort?: number;
  controlPort?: number;
  /** model tick (default 2 s; a 1,000-bridge bench can use 5 s) */
  tickMs?: number;
  regions?: string[];
  selectionStrategy?: SelectionStrategyName;
  /** start without the random population (demo rooms only unless demoRooms: false) */
  population?: boolean;
  demoRooms?: boolean;
  ingest?: { url: string; token: string; intervalMs?: number };
  /** no control API (the bench does not need it) */
  control?: boolean;
  /** clock (default Date.now) */
  now?: () => number;
}

export interface Fleet {
  /** live bridges' URLs, in bridge order */
  readonly jvbUrls: string[];
  /** `jvb1=http://…,jvb2=http://…` — the JVB_URLS value Meetscope reads */
  readonly jvbUrlsEnv: string;
  readonly jicofoUrl: string;
  /** base URL of the control API ("" when disabled) */
  readonly controlUrl: string;
  readonly model: FleetModel;
  readonly ingest: IngestClients | null;
  jvbUrl(name: string): string | undefined;
  /** start a new bridge (jvbN with the next N) and return its URL */
  addBridge(options?: AddBridgeOptions): Promise<string>;
  /** graceful shutdown; resolves once initiated — the bridge exits by itself when empty (+1 min SHUTTING_DOWN) */
  removeBridge(name: string): Promise<void>;
  /** kill the bridge: its server stops answering at once; Jicofo moves its participants */
  failBridge(name: string): Promise<void>;
  setScenario(name: ScenarioName): void;
  degradeParticipant(endpointId: string, network: NetworkOverride): boolean;
  /** back to the participant's own network (and the scenario's) */
  restoreParticipant(endpointId: string): boolean;
  setCpuLimited(endpointId: string, limited: boolean): boolean;
  setFault(name: string, fault: JvbFault): void;
  /** advance the model to now and close servers of bridges that died or exited */
  tickNow(): void;
  stop(): Promise<void>;
}

const networkBody = z.strictObject({
  rttMs: z.number().min(0).max(600_000).optional(),
  lossSendFraction: z.number().min(0).max(1).optional(),
  lossRecvFraction: z.number().min(0).max(1).optional(),
  jitterMs: z.number().min(0).max(600_000).optional(),
  sendBandwidthKbps: z.number().min(0).optional(),
  recvBandwidthKbps: z.number().min(0).optional(),
});
const cpuBody = z.strictObject({ limited: z.boolean() });
const scenarioBody = z.strictObject({
  name: z.string().refine(isScenarioName, { message: `must be one of ${SCENARIO_NAMES.join(", ")}` }),
});
const addBridgeBody = z.strictObject({ region: z.string().min(1).nullable().optional(), version: z.string().min(1).optional() });
const healthBody = z.strictObject({ healthy: z.boolean(), soft: z.boolean().optional(), message: z.string().max(500).optional() });
const faultBody = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("none") }),
  z.strictObject({ mode: z.literal("slow"), delayMs: z.number().int().min(0).max(600_000) }),
  z.strictObject({ mode: z.literal("garbage") }),
  z.strictObject({ mode: z.literal("error") }),
]);
const restBody = z.strictObject({ colibri: z.boolean().optional(), shutdown: z.boolean().optional() });

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const now = options.now ?? Date.now;
  const basePort = options.basePort ?? 0;
  const tickMs = options.tickMs ?? 2_000;
  const model = new FleetModel({
    startMs: now(),
    seed: options.seed,
    bridges: options.bridges,
    scenario: options.scenario,
    regions: options.regions,
    selectionStrategy: options.selectionStrategy,
    population: options.population,
    demoRooms: options.demoRooms,
  });
  const jvbPort = (index: number) => (basePort > 0 ? basePort + index - 1 : 0);
  const servers = new Map<string, JvbServer>();
  let stopped = false;

  const startBridgeServer = async (name: string): Promise<JvbServer> => {
    const b = model.bridge(name);
    if (!b) throw new Error(`unknown bridge ${name}`);
    const server = await startJvbServer({ model, bridgeName: name, port: jvbPort(b.index), now });
    servers.set(name, server);
    return server;
  };

  /** Dead or exited bridges stop answering: close their listeners and drop open connections. */
  const reapServers = () => {
    for (const [name, server] of servers) {
      const b = model.bridge(name);
      if (!server.closed && (!b || b.failed || b.gone)) void server.close();
    }
  };

  const tickNow = () => {
    if (stopped) return;
    model.step(now());
    reapServers();
  };

  let jicofo: JicofoServer | null = null;
  let control: Listening | null = null;
  let ingest: IngestClients | null = null;
  try {
    await Promise.all([...model.bridges.keys()].map(startBridgeServer));
    jicofo = await startJicofoServer({ model, port: options.jicofoPort ?? (basePort > 0 ? basePort - 1 : 0), onChange: reapServers });
  } catch (err) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    await jicofo?.close();
    throw err;
  }
  const timer = setInterval(tickNow, tickMs);
  timer.unref();

  const fleet: Fleet = {
    model,
    get ingest() {
      return ingest;
    },
    get jvbUrls() {
      return [...model.bridges.values()].filter((b) => !b.failed && !b.gone && servers.has(b.name)).map((b) => (servers.get(b.name) as JvbServer).url);
    },
    get jvbUrlsEnv() {
      return [...model.bridges.values()]
        .filter((b) => !b.failed && !b.gone && servers.has(b.name))
        .map((b) => `${b.name}=${(servers.get(b.name) as JvbServer).url}`)
        .join(",");
    },
    get jicofoUrl() {
      return (jicofo as JicofoServer).url;
    },
    get controlUrl() {
      return control?.url ?? "";
    },
    jvbUrl: (name) => servers.get(name)?.url,
    async addBridge(addOptions) {
      const b = model.addBridge(addOptions);
      return (await startBridgeServer(b.name)).url;
    },
    async removeBridge(name) {
      if (!model.bridge(name)) throw new Error(`unknown bridge ${name}`);
      model.removeBridge(name);
      reapServers();
    },
    async failBridge(name) {
      if (!model.bridge(name)) throw new Error(`unknown bridge ${name}`);
      model.failBridge(name);
      await servers.get(name)?.close();
    },
    setScenario: (name) => model.setScenario(name),
    // A real client's next stats already show a network or CPU change: advance the model now rather than at
    // the next tick, so the next client report carries it.
    degradeParticipant(endpointId, network) {
      const changed = model.degradeParticipant(endpointId, network);
      tickNow();
      return changed;
    },
    restoreParticipant(endpointId) {
      const changed = model.clearParticipantOverride(endpointId);
      tickNow();
      return changed;
    },
    setCpuLimited(endpointId, limited) {
      const changed = model.setCpuLimited(endpointId, limited);
      tickNow();
      return changed;
    },
    setFault(name, fault) {
      const server = servers.get(name);
      if (!server) throw new Error(`unknown bridge ${name}`);
      server.fault = fault;
    },
    tickNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await ingest?.stop();
      await Promise.all([...servers.values()].map((s) => s.close()));
      await jicofo?.close();
      await control?.close();
    },
  };

  if (options.control ?? true) {
    try {
      control = await listen(controlHandler(fleet, servers), options.controlPort ?? (basePort > 0 ? basePort - 2 : 0));
    } catch (err) {
      await fleet.stop();
      throw err;
    }
  }
  if (options.ingest) {
    ingest = startIngestClients({ model, url: options.ingest.url, token: options.ingest.token, intervalMs: options.ingest.intervalMs, now });
  }
  return fleet;
}

// ---------------------------------------------------------------------------------------------------------------
// Control API
// ---------------------------------------------------------------------------------------------------------------

const JSON_TYPE = "application/json";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), JSON_TYPE);
}

/** 400 naming the first offending field. */
function badRequest(res: ServerResponse, error: z.ZodError): void {
  const issue = error.issues[0];
  const field = issue ? (issue.path.length > 0 ? issue.path.join(".") : issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "body") : "body";
  sendJson(res, 400, { error: `${field}: ${issue?.message ?? "invalid"}`, field, issues: error.issues });
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === "") return {};
  return JSON.parse(text) as unknown;
}

/** The state a test or a demo needs to find its way around. */
export function controlState(fleet: Fleet, servers: Map<string, JvbServer>, includeParticipants = true): unknown {
  const m = fleet.model;
  return {
    nowMs: m.nowMs,
    tick: m.tick,
    scenario: m.scenario,
    scenarioDescription: SCENARIO_DESCRIPTIONS[m.scenario],
    scenarioTargets: { "bad-network": BAD_NETWORK_TARGET, "cpu-starved": CPU_STARVED_TARGET },
    jicofoUrl: fleet.jicofoUrl,
    selectionStrategy: m.selectionStrategy,
    bridges: [...m.bridges.values()].map((b) => ({
      name: b.name,
      jid: b.jid,
      url: servers.get(b.name)?.url ?? null,
      region: b.region,
      version: b.version,
      colibriRestEnabled: b.colibriRestEnabled,
      shutdownRestEnabled: b.shutdownRestEnabled,
      drain: b.drain,
      shutdownState: b.shutdownState,
      health: b.health,
      failed: b.failed,
      gone: b.gone,
      knownToJicofo: b.jicofo.known,
      operational: m.isOperational(b),
      stressLevel: b.stressLevel,
      correctedStress: m.correctedStress(b),
      localEndpoints: b.endpointIds.size,
      conferences: [...b.jvbConferences.entries()].map(([room, jc]) => ({ room, jvbConferenceId: jc.id })),
      fault: servers.get(b.name)?.fault ?? null,
    })),
    conferences: [...m.conferences.values()].map((c) => ({
      room: c.room,
      mucJid: c.mucJid,
      meetingId: c.meetingId,
      demo: c.demo,
      bridges: c.bridgeOrder,
      endpointIds: c.endpointIds,
    })),
    participants: includeParticipants
      ? [...m.participants.values()].map((p) => ({
          endpointId: p.endpointId,
          displayName: p.displayName,
          statsId: p.statsId,
          room: p.room,
          bridge: p.bridge,
          sendingAudio: p.sendingAudio,
          sendingVideo: p.sendingVideo,
          rttMs: p.metrics.rttMs,
          lossSendFraction: p.metrics.lossSendFraction,
          lossRecvFraction: p.metrics.lossRecvFraction,
          jitterMs: p.metrics.jitterMs,
          qualityLimitationReason: p.metrics.qualityLimitationReason,
          videoSendHeightPx: p.metrics.videoSendHeightPx,
          videoSendFps: p.metrics.videoSendFps,
          connectionQuality: p.metrics.connectionQuality,
          networkOverride: p.networkOverride,
          cpuLimited: p.cpuLimited,
        }))
      : undefined,
    ingest: fleet.ingest?.stats ?? null,
  };
}

function controlHandler(fleet: Fleet, servers: Map<string, JvbServer>) {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = parseUrl(req);
    const parts = url.pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
    const method = req.method ?? "GET";
    const m = fleet.model;
    if (parts[0] !== "control") return sendJson(res, 404, { error: "not found" });

    const parse = async <T>(schema: z.ZodType<T>): Promise<T | null> => {
      let raw: unknown;
      try {
        raw = await jsonBody(req);
      } catch {
        sendJson(res, 400, { error: "body: not valid JSON", field: "body" });
        return null;
      }
      const r = schema.safeParse(raw);
      if (!r.success) {
        badRequest(res, r.error);
        return null;
      }
      return r.data;
    };

    // GET /control/state
    if (parts.length === 2 && parts[1] === "state" && method === "GET") {
      return sendJson(res, 200, controlState(fleet, servers, url.searchParams.get("participants") !== "false"));
    }
    // POST /control/scenario {name}
    if (parts.length === 2 && parts[1] === "scenario" && method === "POST") {
      const body = await parse(scenarioBody);
      if (!body) return;
      fleet.setScenario(body.name as ScenarioName);
      return sendJson(res, 200, { scenario: m.scenario, description: SCENARIO_DESCRIPTIONS[m.scenario] });
    }
    // DELETE /control/participants/{endpointId}/network → the participant's own network again
    if (parts.length === 4 && parts[1] === "participants" && parts[3] === "network" && method === "DELETE") {
      const endpointId = parts[2] as string;
      if (!fleet.restoreParticipant(endpointId)) return sendJson(res, 404, { error: `no participant with endpoint id ${endpointId}` });
      return sendJson(res, 200, { endpointId, networkOverride: null });
    }
    // POST /control/participants/{endpointId}/network | /cpu
    if (parts.length === 4 && parts[1] === "participants" && method === "POST") {
      const endpointId = parts[2] as string;
      if (!m.participants.has(endpointId)) return sendJson(res, 404, { error: `no participant with endpoint id ${endpointId}` });
      if (parts[3] === "network") {
        const body = await parse(networkBody);
        if (!body) return;
        const patch: NetworkOverride = {};
        for (const [k, v] of Object.entries(body)) if (v !== undefined) patch[k as keyof NetworkOverride] = v;
        fleet.degradeParticipant(endpointId, patch);
        return sendJson(res, 200, { endpointId, networkOverride: m.participants.get(endpointId)?.networkOverride ?? null });
      }
      if (parts[3] === "cpu") {
        const body = await parse(cpuBody);
        if (!body) return;
        fleet.setCpuLimited(endpointId, body.limited);
        return sendJson(res, 200, { endpointId, cpuLimited: body.limited });
      }
    }
    // POST /control/bridges → add
    if (parts.length === 2 && parts[1] === "bridges" && method === "POST") {
      const body = await parse(addBridgeBody);
      if (!body) return;
      const url = await fleet.addBridge(body);
      const b = [...m.bridges.values()].at(-1);
      return sendJson(res, 201, { name: b?.name, jid: b?.jid, url });
    }
    if (parts[1] === "bridges" && parts.length >= 3) {
      const name = parts[2] as string;
      const b = m.bridge(name);
      if (!b) return sendJson(res, 404, { error: `no bridge named ${name}` });
      // DELETE /control/bridges/{name} → graceful removal
      if (parts.length === 3 && method === "DELETE") {
        await fleet.removeBridge(name);
        return sendJson(res, 202, { name, shutdownState: b.shutdownState });
      }
      if (parts.length === 4 && method === "POST") {
        switch (parts[3]) {
          case "fail":
            await fleet.failBridge(name);
            return sendJson(res, 200, { name, failed: true });
          case "health": {
            const body = await parse(healthBody);
            if (!body) return;
            m.setHealth(name, body.healthy ? "healthy" : body.soft ? "soft-failure" : "hard-failure", body.message);
            return sendJson(res, 200, { name, health: b.health });
          }
          case "fault": {
            const body = await parse(faultBody);
            if (!body) return;
            fleet.setFault(name, body);
            return sendJson(res, 200, { name, fault: body });
          }
          case "rest": {
            const body = await parse(restBody);
            if (!body) return;
            m.setRest(name, body);
            return sendJson(res, 200, { name, colibriRestEnabled: b.colibriRestEnabled, shutdownRestEnabled: b.shutdownRestEnabled });
          }
          default:
            break;
        }
      }
    }
    return sendJson(res, 404, { error: `no route ${method} ${url.pathname}` });
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  };
}
