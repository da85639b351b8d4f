import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "./fleet";
import { BAD_NETWORK_TARGET } from "./model";

/** The key set of the reference's /colibri/stats example (§1.4: current master, region set, no relays). */
const REFERENCE_STATS_KEYS = [
  "incoming_loss", "outgoing_loss", "overall_loss", "endpoints_with_high_outgoing_loss", "tcc_unmatched_feedback",
  "local_active_endpoints", "bit_rate_download", "bit_rate_upload", "packet_rate_download", "packet_rate_upload",
  "rtt_aggregate", "num_eps_oversending", "octo_conferences", "inactive_conferences", "p2p_conferences", "endpoints",
  "participants", "receive_only_endpoints", "inactive_endpoints", "octo_endpoints", "endpoints_sending_audio",
  "endpoints_sending_video", "largest_conference", "octo_receive_bitrate", "octo_receive_packet_rate",
  "octo_send_bitrate", "octo_send_packet_rate", "endpoints_with_suspended_sources", "total_conferences_created",
  "total_conferences_completed", "total_conference_seconds", "total_participants", "total_visitors",
  "num_eps_no_msg_transport_after_delay", "total_relays", "num_relays_no_msg_transport_after_delay",
  "total_keyframes_received", "total_layering_changes_received", "total_video_stream_milliseconds_received",
  "stress_level", "conferences", "visitors", "local_endpoints", "total_data_channel_messages_received",
  "total_data_channel_messages_sent", "total_colibri_web_socket_messages_received",
  "total_colibri_web_socket_messages_sent", "total_bytes_received", "endpoints_ice_failed", "dtls_failed_endpoints",
  "relays_ice_failed", "dtls_failed_relays", "total_bytes_sent", "total_packets_received", "total_packets_sent",
  "total_bytes_received_octo", "total_bytes_sent_octo", "total_packets_received_octo", "total_packets_sent_octo",
  "total_dominant_speaker_changes", "preemptive_kfr_sent", "preemptive_kfr_suppressed", "total_ice_failed",
  "total_ice_succeeded", "total_ice_succeeded_relayed", "average_participant_stress", "threads", "graceful_shutdown",
  "shutting_down", "drain", "current_timestamp", "muc_clients_configured", "muc_clients_connected", "mucs_configured",
  "mucs_joined", "endpoints_with_spurious_remb", "healthy", "endpoints_disconnected", "endpoints_reconnected",
  "version", "region",
];
const FLOAT_KEYS = ["incoming_loss", "outgoing_loss", "overall_loss", "rtt_aggregate", "stress_level", "average_participant_stress"];
const STRING_KEYS = ["current_timestamp", "version", "region"];
const BOOL_KEYS = ["graceful_shutdown", "shutting_down", "drain", "healthy"];

const get = (url: string, init?: RequestInit) => fetch(url, init);
const post = (url: string, body?: unknown, contentType = "application/json") =>
  fetch(url, { method: "POST", headers: body === undefined ? {} : { "content-type": contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

describe("simulated JVB REST", () => {
  let fleet: Fleet;
  let jvb1: string;
  beforeAll(async () => {
    fleet = await startFleet({ seed: 3, basePort: 0, tickMs: 60_000, scenario: "steady-day" });
    jvb1 = fleet.jvbUrl("jvb1") as string;
  });
  afterAll(() => fleet.stop());

  it("serves /colibri/stats with the current-master key set, units and number types", async () => {
    const res = await get(`${jvb1}/colibri/stats`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    const s = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual([...REFERENCE_STATS_KEYS].sort());
    for (const [k, v] of Object.entries(s)) {
      if (STRING_KEYS.includes(k)) expect(typeof v, k).toBe("string");
      else if (BOOL_KEYS.includes(k)) expect(typeof v, k).toBe("boolean");
      else if (FLOAT_KEYS.includes(k)) expect(typeof v, k).toBe("number");
      else expect(Number.isInteger(v), `${k} is an integer`).toBe(true);
      // Jackson prints Doubles with a decimal point or exponent, Longs without
      if (FLOAT_KEYS.includes(k)) expect(text).toMatch(new RegExp(`"${k}":-?\\d+\\.\\d+(E-?\\d+)?[,}]`));
    }
    expect(s.current_timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(s.participants).toBe(s.endpoints);
    expect(s.region).toBe("eu-central-1");
    expect(s.version).toBe("2.3.209-g1a2b3c4d");
    // kbps: tens of endpoints send megabits, not gigabits (bps) nor single digits (Mbps)
    expect(s.local_endpoints as number).toBeGreaterThan(10);
    expect(s.bit_rate_download as number).toBeGreaterThan(1_000);
    expect(s.bit_rate_download as number).toBeLessThan(1_000_000);
    expect(s.stress_level as number).toBeGreaterThan(0);
    expect(s.stress_level as number).toBeLessThan(1);
  });

  it("splices the request time into a cached snapshot", async () => {
    const a = await json(await get(`${jvb1}/colibri/stats`));
    await new Promise((r) => setTimeout(r, 5));
    const b = await json(await get(`${jvb1}/colibri/stats`));
    expect(b.current_timestamp).not.toBe(a.current_timestamp);
    expect({ ...b, current_timestamp: null }).toEqual({ ...a, current_timestamp: null });
  });

  it("answers 404 (Jetty's HTML page) on /colibri/stats when COLIBRI REST is disabled, and for unknown paths", async () => {
    fleet.model.setRest("jvb2", { colibri: false });
    const res = await get(`${fleet.jvbUrl("jvb2")}/colibri/stats`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toContain("HTTP ERROR 404 Not Found");
    // drain, health and version stay on
    expect((await get(`${fleet.jvbUrl("jvb2")}/colibri/drain`)).status).toBe(200);
    fleet.model.setRest("jvb2", { colibri: true });
    expect((await get(`${jvb1}/nope`)).status).toBe(404);
    expect((await get(`${jvb1}/colibri/drain/enable`)).status).toBe(405);
  });

  it("round-trips drain enable/disable", async () => {
    expect(await json(await get(`${jvb1}/colibri/drain`))).toEqual({ drain: false });
    const on = await post(`${jvb1}/colibri/drain/enable`);
    expect(on.status).toBe(200);
    expect(await on.text()).toBe("");
    expect(await json(await get(`${jvb1}/colibri/drain`))).toEqual({ drain: true });
    expect((await json(await get(`${jvb1}/colibri/stats`))).drain).toBe(true);
    const jicofo = await json(await get(`${fleet.jicofoUrl}/debug`));
    const bridges = (jicofo.bridge_selector as { bridge: Record<string, { drain: boolean }> }).bridge;
    expect(bridges["jvbbrewery@internal.auth.meet.example/jvb1"]?.drain).toBe(true);
    expect((await post(`${jvb1}/colibri/drain/disable`)).status).toBe(200);
    expect(await json(await get(`${jvb1}/colibri/drain`))).toEqual({ drain: false });
  });

  it("serves /about/health and /about/version", async () => {
    const ok = await get(`${jvb1}/about/health`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json");
    expect(await ok.text()).toBe("");
    fleet.model.setHealth("jvb3", "hard-failure", "Failed to create test conference");
    const hard = await get(`${fleet.jvbUrl("jvb3")}/about/health`);
    expect(hard.status).toBe(500);
    expect(hard.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await hard.text()).toBe("Failed to create test conference");
    fleet.model.setHealth("jvb3", "soft-failure");
    expect((await get(`${fleet.jvbUrl("jvb3")}/about/health`)).status).toBe(503);
    expect((await json(await get(`${fleet.jvbUrl("jvb3")}/colibri/stats`))).healthy).toBe(false);
    fleet.model.setHealth("jvb3", "healthy");
    expect(await json(await get(`${jvb1}/about/version`))).toEqual({ name: "JVB", version: "2.3.209-g1a2b3c4d", os: "Linux" });
  });

  it("serves /debug with string load_management values, conferences and health", async () => {
    const d = await json(await get(`${jvb1}/debug`));
    expect(d.shutdown_state).toBe("RUNNING");
    expect(typeof d.time).toBe("number");
    const lm = d.load_management as Record<string, unknown>;
    expect(lm.state).toBe("NOT_OVERLOADED");
    expect(typeof lm.stress).toBe("string");
    expect(Number(lm.stress)).toBeGreaterThan(0);
    expect(lm.reducer_enabled).toBe("false");
    expect(d.health).toMatchObject({ success: true, responseCode: null });
    const confs = d.conferences as Record<string, Record<string, unknown>>;
    const [confId, conf] = Object.entries(confs)[0] as [string, Record<string, unknown>];
    expect(conf.id).toBe(confId);
    expect(conf.name).toMatch(/^[a-z0-9-]+@conference\.meet\.example$/);
    expect(conf.meeting_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const eps = conf.endpoints as Record<string, unknown>;
    for (const [ep, statsId] of Object.entries(eps)) {
      expect(ep).toMatch(/^[0-9a-f]{8}$/);
      expect(statsId).toMatch(/^[A-Z][a-z]+-[0-9a-z]{3}$/);
    }
    // /debug/{confId} defaults to FULL and has no health
    const one = await json(await get(`${jvb1}/debug/${confId}`));
    expect(one.health).toBeUndefined();
    const full = (one.conferences as Record<string, Record<string, unknown>>)[confId] as Record<string, unknown>;
    const firstEp = Object.values(full.endpoints as Record<string, Record<string, unknown>>)[0] as Record<string, unknown>;
    expect(firstEp.transceiver).toMatchObject({
      endpoint_connection_stats: { rtt: expect.any(Number), incoming_loss_stats: { packets_lost: expect.any(Number) } },
    });
    // unknown conference: the string "null", HTTP 200
    const unknown = await get(`${jvb1}/debug/deadbeef`);
    expect(unknown.status).toBe(200);
    expect((await json(unknown)).conferences).toEqual({ deadbeef: "null" });
    // /colibri/debug redirects
    expect((await get(`${jvb1}/colibri/debug`, { redirect: "manual" })).status).toBe(301);
  });

  it("handles POST /colibri/shutdown: body required, graceful state visible everywhere", async () => {
    const url = `${fleet.jvbUrl("jvb2")}/colibri/shutdown`;
    expect((await post(url, { wrong: true })).status).toBe(400);
    expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" })).status).toBe(400);
    expect((await post(url, { "graceful-shutdown": true }, "text/plain")).status).toBe(415);
    fleet.model.setRest("jvb2", { shutdown: false });
    expect((await post(url, { "graceful-shutdown": true })).status).toBe(404);
    fleet.model.setRest("jvb2", { shutdown: true });
    const ok = await post(url, { "graceful-shutdown": true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("");
    const s = await json(await get(`${fleet.jvbUrl("jvb2")}/colibri/stats`));
    expect(s.graceful_shutdown).toBe(true);
    expect((await json(await get(`${fleet.jvbUrl("jvb2")}/debug`))).shutdown_state).toMatch(/GRACEFUL_SHUTDOWN|SHUTTING_DOWN/);
    const jicofo = await json(await get(`${fleet.jicofoUrl}/stats`));
    expect((jicofo.bridge_selector as Record<string, number>).in_shutdown_bridge_count).toBe(1);
  });

  it("fault modes: slow answers late, garbage answers HTML with 200", async () => {
    fleet.setFault("jvb1", { mode: "slow", delayMs: 300 });
    const t = Date.now();
    expect((await get(`${jvb1}/colibri/stats`)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    fleet.setFault("jvb1", { mode: "garbage" });
    const g = await get(`${jvb1}/colibri/stats`);
    expect(g.status).toBe(200);
    expect(g.headers.get("content-type")).toBe("text/html");
    await expect(g.clone().json()).rejects.toThrow();
    fleet.setFault("jvb1", { mode: "none" });
  });
});

describe("simulated Jicofo REST", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ seed: 4, basePort: 0, tickMs: 60_000 });
  });
  afterAll(() => fleet.stop());

  it("serves /stats in the reference shape", async () => {
    const res = await get(`${fleet.jicofoUrl}/stats`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const s = await json(res);
    expect(Object.keys(s)).toEqual([
      "total_participants", "total_conferences_created", "conferences", "conferences_with_visitors", "bridge_failures",
      "participant_notifications", "largest_conference", "participants", "visitors", "conference_sizes",
      "endpoint_pairs", "jibri", "queues", "bridge_selector", "jibri_detector", "sip_jibri_detector", "jigasi",
      "threads", "jingle", "version",
    ]);
    expect(s.bridge_selector).toEqual({ bridge_count: 3, operational_bridge_count: 3, in_shutdown_bridge_count: 0, lost_bridges: 0, bridge_version_count: 1 });
    expect(s.participants as number).toBeGreaterThan(30);
    expect((s.conference_sizes as { total_count: number }).total_count).toBe(s.conferences);
    expect(s).not.toHaveProperty("healthy");
  });

  it("serves /debug with bridge_selector and stringified \"null\" fields", async () => {
    const d = await json(await get(`${fleet.jicofoUrl}/debug`));
    const sel = d.bridge_selector as { strategy: string; bridge: Record<string, Record<string, unknown>> };
    expect(sel.strategy).toBe("SingleBridgeSelectionStrategy");
    expect(Object.keys(sel.bridge)).toEqual([1, 2, 3].map((i) => `jvbbrewery@internal.auth.meet.example/jvb${i}`));
    const b = sel.bridge["jvbbrewery@internal.auth.meet.example/jvb1"] as Record<string, unknown>;
    expect(Object.keys(b)).toEqual([
      "corrected-stress", "drain", "endpoints", "endpoint-restart-requests", "failing-ice", "graceful-shutdown", "healthy",
      "operational", "overloaded", "region", "relay-id", "release", "shutting-down", "stress", "version",
    ]);
    expect(b["relay-id"]).toBe("null");
    expect(b.release).toBe("null");
    expect(b.region).toBe("eu-central-1");
    expect(typeof b.stress).toBe("number");
    const focus = d.focus_manager as Record<string, number>;
    expect(focus["weekly-sync@conference.meet.example"]).toBe(6);
    expect(d.jibri_detector).toBeNull();
  });

  it("serves /debug/conferences, /about/version and has no /about/health", async () => {
    const list = (await (await get(`${fleet.jicofoUrl}/debug/conferences`)).json()) as string[];
    expect(list).toContain("weekly-sync@conference.meet.example");
    const one = await json(await get(`${fleet.jicofoUrl}/debug/conference/weekly-sync@conference.meet.example`));
    expect(Object.keys(one.participants as object)).toContain(BAD_NETWORK_TARGET.endpointId);
    expect(await json(await get(`${fleet.jicofoUrl}/debug/conference/nope@conference.meet.example`))).toEqual({});
    expect(await json(await get(`${fleet.jicofoUrl}/about/version`))).toEqual({ name: "JiCoFo", version: "1.0-1120-g5e6f7a8b", os: "Linux" });
    expect((await get(`${fleet.jicofoUrl}/about/health`)).status).toBe(404);
  });

  it("move-endpoints: GET with query parameters, Jicofo's error texts", async () => {
    const base = `${fleet.jicofoUrl}/move-endpoints`;
    const missing = await get(`${base}/move-endpoints`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await missing.text()).toBe("Bad request: Missing parameter: bridge");
    const unknown = await get(`${base}/move-endpoints?bridge=jvb9`);
    expect(unknown.status).toBe(500);
    expect(await unknown.text()).toBe("Not found: Bridge not found");
    const noConf = await get(`${base}/move-endpoint?conference=nope@conference.meet.example&endpoint=abcd1234`);
    expect(noConf.status).toBe(500);
    expect(await noConf.text()).toBe("Not found: Conference not found");
    const badNumber = await get(`${base}/move-endpoints?bridge=jvb1&numEndpoints=abc`);
    expect(badNumber.status).toBe(500);
    expect(await badNumber.text()).toBe('For input string: "abc"');
  });

  it("move-fraction off a drained bridge changes the placement", async () => {
    const before = fleet.model.bridge("jvb1")?.endpointIds.size ?? 0;
    expect(before).toBeGreaterThan(0);
    expect((await post(`${fleet.jvbUrl("jvb1")}/colibri/drain/enable`)).status).toBe(200);
    const jid = encodeURIComponent("jvbbrewery@internal.auth.meet.example/jvb1");
    const res = await get(`${fleet.jicofoUrl}/move-endpoints/move-fraction?bridge=${jid}&fraction=1.0`);
    expect(res.status).toBe(200);
    const moved = await json(res);
    expect(moved.movedEndpoints).toBe(before);
    expect(moved.conferences as number).toBeGreaterThan(0);
    fleet.tickNow();
    const s = await json(await get(`${fleet.jvbUrl("jvb1")}/colibri/stats`));
    expect(s.local_endpoints).toBe(0);
    const stats = await json(await get(`${fleet.jicofoUrl}/stats`));
    expect((stats.bridge_failures as { participants_moved: number }).participants_moved).toBeGreaterThanOrEqual(before);
  });

  it("a failed bridge stops answering and Jicofo reports it lost", async () => {
    const url = fleet.jvbUrl("jvb2") as string;
    expect((await get(`${url}/about/health`)).status).toBe(200);
    await fleet.failBridge("jvb2");
    await expect(get(`${url}/about/health`)).rejects.toThrow();
    const stats = await json(await get(`${fleet.jicofoUrl}/stats`));
    expect(stats.bridge_selector).toMatchObject({ bridge_count: 2, lost_bridges: 1 });
    expect(fleet.jvbUrls).not.toContain(url);
  });
});

describe("control API and scaling", () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ seed: 5, bridges: 2, basePort: 0, tickMs: 60_000 });
  });
  afterAll(() => fleet.stop());

  it("GET /control/state lists bridges, conferences and participants", async () => {
    const s = await json(await get(`${fleet.controlUrl}/control/state`));
    expect((s.bridges as unknown[]).length).toBe(2);
    const ps = s.participants as Array<{ endpointId: string; room: string }>;
    expect(ps.find((p) => p.endpointId === BAD_NETWORK_TARGET.endpointId)?.room).toBe("weekly-sync");
    expect((s.conferences as Array<{ room: string }>).map((c) => c.room)).toContain("design-review");
  });

  it("validates bodies with a 400 naming the field", async () => {
    const url = `${fleet.controlUrl}/control/participants/${BAD_NETWORK_TARGET.endpointId}/network`;
    const bad = await post(url, { rttMs: -5 });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ field: "rttMs" });
    const extra = await post(url, { lossFraction: 0.5 });
    expect(extra.status).toBe(400);
    expect((await json(extra)).field).toBe("lossFraction");
    expect((await post(`${fleet.controlUrl}/control/scenario`, { name: "nope" })).status).toBe(400);
    expect((await post(`${fleet.controlUrl}/control/participants/00000000/cpu`, { limited: true })).status).toBe(404);
    expect((await post(`${fleet.controlUrl}/control/participants/${BAD_NETWORK_TARGET.endpointId}/cpu`, { limited: "yes" })).status).toBe(400);
  });

  it("degrades a participant's network and CPU, in the very next figures (no wait for the model's tick)", async () => {
    const id = BAD_NETWORK_TARGET.endpointId;
    const p = fleet.model.participants.get(id);
    expect(p?.metrics.rttMs).toBeLessThan(400);
    expect((await post(`${fleet.controlUrl}/control/participants/${id}/network`, { rttMs: 450, lossSendFraction: 0.2 })).status).toBe(200);
    expect(p?.metrics.rttMs).toBeGreaterThan(400); // this fleet ticks every 60 s: the control call advanced it
    expect((await post(`${fleet.controlUrl}/control/participants/${id}/cpu`, { limited: true })).status).toBe(200);
    expect(p?.metrics.qualityLimitationReason).toBe("cpu");
    const restored = await fetch(`${fleet.controlUrl}/control/participants/${id}/network`, { method: "DELETE" });
    expect(restored.status).toBe(200);
    expect(p?.networkOverride).toBeNull();
    expect(p?.metrics.rttMs).toBeLessThan(400);
    expect((await fetch(`${fleet.controlUrl}/control/participants/00000000/network`, { method: "DELETE" })).status).toBe(404);
    expect((await post(`${fleet.controlUrl}/control/scenario`, { name: "cpu-starved" })).status).toBe(200);
    expect(fleet.model.scenario).toBe("cpu-starved");
  });

  it("adds a bridge, removes it gracefully, fails another", async () => {
    const add = await post(`${fleet.controlUrl}/control/bridges`, {});
    expect(add.status).toBe(201);
    const added = await json(add);
    expect(added.name).toBe("jvb3");
    expect((await get(`${added.url as string}/colibri/stats`)).status).toBe(200);
    const jicofo = await json(await get(`${fleet.jicofoUrl}/stats`));
    expect((jicofo.bridge_selector as Record<string, number>).bridge_count).toBe(3);
    const url4 = await fleet.addBridge();
    expect((await get(`${url4}/about/version`)).status).toBe(200);

    // jvb3 is empty: graceful shutdown turns into SHUTTING_DOWN at once, and it exits a minute later
    const del = await fetch(`${fleet.controlUrl}/control/bridges/jvb3`, { method: "DELETE" });
    expect(del.status).toBe(202);
    expect((await json(del)).shutdownState).toBe("SHUTTING_DOWN");
    expect((await json(await get(`${added.url as string}/colibri/stats`))).shutting_down).toBe(true);
    fleet.model.step(fleet.model.nowMs + 61_000);
    fleet.tickNow();
    await new Promise((r) => setTimeout(r, 20));
    await expect(get(`${added.url as string}/colibri/stats`)).rejects.toThrow();

    expect((await post(`${fleet.controlUrl}/control/bridges/jvb1/fail`)).status).toBe(200);
    await expect(get(`${fleet.jvbUrl("jvb1") as string}/colibri/stats`)).rejects.toThrow();
    expect((await fetch(`${fleet.controlUrl}/control/bridges/jvb99`, { method: "DELETE" })).status).toBe(404);
    const stats = await json(await get(`${fleet.jicofoUrl}/stats`));
    // jvb3 left in shutdown (not lost), jvb1 died (lost)
    expect(stats.bridge_selector).toMatchObject({ bridge_count: 2, lost_bridges: 1 });
  });
});

describe("scale", () => {
  it("starts 1,000 bridges quickly and serves stats cheaply", async () => {
    const t = Date.now();
    const fleet = await startFleet({ bridges: 1_000, basePort: 0, tickMs: 60_000, control: false });
    try {
      expect(Date.now() - t).toBeLessThan(8_000);
      expect(fleet.jvbUrls).toHaveLength(1_000);
      const urls = fleet.jvbUrls.slice(0, 200);
      const t2 = Date.now();
      const statuses = await Promise.all(urls.map(async (u) => (await get(`${u}/colibri/stats`)).status));
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(Date.now() - t2).toBeLessThan(3_000);
    } finally {
      await fleet.stop();
    }
  });
});
