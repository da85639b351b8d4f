import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Issue, MeetingReport } from "@/server/analysis/types";
import { processAlerts } from "@/server/alerts/notifier";
import { createCaller } from "@/server/api/root";
import { viewerFrom } from "@/server/auth/viewer";
import { alertKey, planAlerts, RESEND_FIRING_MS } from "@/server/alerts/plan";
import { openTestDb, type TestDb } from "./db";

const issue: Issue = {
  kind: "network-degraded",
  severity: "critical",
  participantIds: ["p-garett"],
  cause: "participant-network",
  bridgeId: null,
  evidence: ["loss 16 % up vs bridge median 0.4 %"],
  rule: "Teams RTA good: loss < 5 %",
};

describe("planAlerts", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  const candidate = { key: alertKey("m1", issue), meetingId: "m1", room: "r", severity: "critical" as const, summary: "s", issue, who: ["Garett"] };
  const plan = (open: Parameters<typeof planAlerts>[0]["open"], candidates = [candidate], analyzed = ["m1"], live = ["m1"]) =>
    planAlerts({ open, candidates, analyzedMeetingIds: new Set(analyzed), liveMeetingIds: new Set(live), now });

  it("fires a new issue once, keeps it quiet, re-sends it after a while", () => {
    expect(plan([]).fire).toHaveLength(1);
    expect(plan([{ key: candidate.key, meetingId: "m1", severity: "critical", notifiedAt: new Date(now.getTime() - 5000) }]).keep).toHaveLength(1);
    expect(plan([{ key: candidate.key, meetingId: "m1", severity: "critical", notifiedAt: new Date(now.getTime() - RESEND_FIRING_MS) }]).resend).toHaveLength(1);
  });

  it("fires again when the severity changes or the last send failed", () => {
    expect(plan([{ key: candidate.key, meetingId: "m1", severity: "warning", notifiedAt: now }]).fire).toHaveLength(1);
    expect(plan([{ key: candidate.key, meetingId: "m1", severity: "critical", notifiedAt: null }]).fire).toHaveLength(1);
  });

  it("resolves an issue its meeting's new report no longer has, or whose meeting ended; not one of a meeting not analyzed", () => {
    const open = [{ key: candidate.key, meetingId: "m1", severity: "critical", notifiedAt: now }];
    expect(plan(open, [], ["m1"], ["m1"]).resolve).toHaveLength(1);
    expect(plan(open, [], [], [])).toMatchObject({ resolve: [{ key: candidate.key }] });
    expect(plan(open, [], ["m2"], ["m1"]).resolve).toHaveLength(0);
  });
});

describe("alert delivery to a webhook and Alertmanager", () => {
  let testDb: TestDb;
  let server: Server;
  let url: string;
  const received: Array<{ path: string; body: unknown }> = [];
  let meetingId: string;

  beforeAll(async () => {
    testDb = await openTestDb("pglite");
    meetingId = (await testDb.db.meeting.create({ data: { room: "weekly-sync", startedAt: new Date(), lastSeenAt: new Date() } })).id;
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body: JSON.parse(body) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await testDb.close();
  });

  const report = (issues: Issue[], at: Date): MeetingReport => ({
    meetingId, generatedAt: at, windowStart: at, windowEnd: at, overallScore: 60, worstParticipantIds: [], issues,
    participants: [{ participantId: "p-garett", endpointId: "7f3a9c21", displayName: "Garett", bridgeId: null, sampleCount: 3, send: { audio: null, rttMs: null, lossFraction: null, jitterMs: null }, recv: { audio: null, rttMs: null, lossFraction: null, jitterMs: null }, connectionQualityPercent: null, reportedConnectionQualityPercent: null, streams: [], score: 20, notes: [] }],
  });

  it("fires once per issue, and resolves it when it clears", async () => {
    const targets = { webhookUrl: `${url}/hook`, alertmanagerUrl: url, publicUrl: "https://meetscope.example.org" };
    const t0 = new Date();
    expect(await processAlerts(testDb.db, [report([issue], t0)], targets, t0)).toEqual({ fired: 1, resolved: 0 });
    expect(await processAlerts(testDb.db, [report([issue], new Date(t0.getTime() + 30_000))], targets, new Date(t0.getTime() + 30_000))).toEqual({ fired: 0, resolved: 0 });
    expect(received).toHaveLength(2); // one webhook call + one Alertmanager call; the repeat sent nothing

    const hook = received.find((r) => r.path === "/hook")!.body as Record<string, unknown>;
    expect(hook).toMatchObject({ source: "meetscope", status: "firing", room: "weekly-sync", cause: "participant-network", participants: ["Garett"], url: `https://meetscope.example.org/meetings/${meetingId}` });
    const am = received.find((r) => r.path === "/api/v2/alerts")!.body as Array<Record<string, Record<string, string>>>;
    expect(am[0]!.labels).toMatchObject({ alertname: "MeetscopeQualityIssue", severity: "critical", room: "weekly-sync", cause: "participant-network" });
    expect(am[0]!.endsAt).toBeUndefined();

    const t1 = new Date(t0.getTime() + 60_000);
    expect(await processAlerts(testDb.db, [report([], t1)], targets, t1)).toEqual({ fired: 0, resolved: 1 });
    const resolved = received.slice(2);
    expect(resolved.find((r) => r.path === "/hook")!.body).toMatchObject({ status: "resolved", resolvedAt: t1.toISOString() });
    expect((resolved.find((r) => r.path === "/api/v2/alerts")!.body as Array<{ endsAt: string }>)[0]!.endsAt).toBe(t1.toISOString());
    expect(await testDb.db.alertState.count({ where: { resolvedAt: null } })).toBe(0);
  });

  it("records a failed delivery and tries again on the next report", async () => {
    const broken = { webhookUrl: "http://127.0.0.1:9/nothing-listens", alertmanagerUrl: null, publicUrl: "x" };
    const t = new Date(Date.now() + 120_000);
    await processAlerts(testDb.db, [report([{ ...issue, participantIds: ["p-other"] }], t)], broken, t);
    const state = await testDb.db.alertState.findFirstOrThrow({ where: { resolvedAt: null } });
    expect(state.notifiedAt).toBeNull();
    expect(state.lastError).toMatch(/fetch failed|ECONNREFUSED|connect/i);
    const working = { webhookUrl: `${url}/hook`, alertmanagerUrl: null, publicUrl: "x" };
    expect((await processAlerts(testDb.db, [report([{ ...issue, participantIds: ["p-other"] }], t)], working, t)).fired).toBe(1);
  });

  it("admins see firing and resolved alerts in the app, with their delivery and without the webhook's secret path", async () => {
    process.env.ALERT_WEBHOOK_URL = "https://hooks.example.org/services/T000/SECRET"; // read on first use of config()
    await testDb.db.participant.create({ data: { id: "p-other", meetingId, endpointId: "0b1c", displayName: "Otto", joinedAt: new Date(), lastSeenAt: new Date() } });
    const admin = createCaller({ db: testDb.db, viewer: viewerFrom("a", "ada@example.org", "Ada", ["admin"]) });
    const list = await admin.alerts.list();
    expect(list.targets).toEqual({ webhook: "https://hooks.example.org", alertmanager: null });
    expect(list.firing).toHaveLength(1);
    expect(list.firing[0]).toMatchObject({ room: "weekly-sync", severity: "critical", cause: "participant-network", who: ["Otto"], lastError: null, resolvedAt: null });
    expect(list.firing[0]!.notifiedAt).toBeInstanceOf(Date);
    expect(list.resolved).toHaveLength(1);
    expect(list.resolved[0]).toMatchObject({ who: ["someone who left"], evidence: issue.evidence });
    expect(list.resolved[0]!.resolvedAt).toBeInstanceOf(Date);

    const moderator = createCaller({ db: testDb.db, viewer: viewerFrom("m", "mia@example.org", "Mia", ["moderator"]) });
    await expect(moderator.alerts.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
