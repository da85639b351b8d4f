import { describe, expect, it } from "vitest";
import { bridgeNameFromJid, jvbDebugSchema, jvbStatsSchema, parseJvbTimestamp, versionSchema } from "./schemas";

describe("parseJvbTimestamp", () => {
  it("reads the UTC yyyy-MM-dd HH:mm:ss.SSS format as UTC", () => {
    expect(parseJvbTimestamp("2025-03-14 10:22:31.418")?.toISOString()).toBe("2025-03-14T10:22:31.418Z");
    expect(parseJvbTimestamp("2025-03-14 10:22:31")?.toISOString()).toBe("2025-03-14T10:22:31.000Z");
    expect(parseJvbTimestamp("2025-03-14 10:22:31.4")?.toISOString()).toBe("2025-03-14T10:22:31.400Z");
  });

  it("rejects other formats and impossible dates instead of rolling them over", () => {
    expect(parseJvbTimestamp("2025-03-14T10:22:31.418Z")).toBeNull();
    expect(parseJvbTimestamp("14/03/2025 10:22")).toBeNull();
    expect(parseJvbTimestamp("2025-02-30 10:22:31.418")).toBeNull();
    expect(parseJvbTimestamp("2025-03-14 24:00:00.000")).toBeNull();
  });
});

describe("bridgeNameFromJid", () => {
  it("takes the MUC nickname after the last slash", () => {
    expect(bridgeNameFromJid("jvbbrewery@internal.auth.example.org/jvb1")).toBe("jvb1");
    expect(bridgeNameFromJid("jvbbrewery@internal.auth.example.org/a/b")).toBe("b");
    expect(bridgeNameFromJid("jvb1")).toBe("jvb1");
  });
});

describe("string-valued JVB /debug fields", () => {
  const lm = (stress: unknown, reducer_enabled: unknown) =>
    jvbDebugSchema.parse({ load_management: { state: "NOT_OVERLOADED", stress, reducer_enabled } }).loadManagement;

  it("parses numbers and booleans written as text, and leaves unparseable text null", () => {
    expect(lm("0.23", "false")).toEqual({ state: "NOT_OVERLOADED", stress: 0.23, reducerEnabled: false });
    expect(lm(0.5, true)).toEqual({ state: "NOT_OVERLOADED", stress: 0.5, reducerEnabled: true });
    expect(lm("NaN", "yes")).toEqual({ state: "NOT_OVERLOADED", stress: null, reducerEnabled: null });
    expect(lm("", undefined)).toEqual({ state: "NOT_OVERLOADED", stress: null, reducerEnabled: null });
  });

  it("drops conferences given as the string \"null\" or JSON null", () => {
    expect(jvbDebugSchema.parse({ conferences: { a: "null", b: null, c: { endpoints: { x: "x" } } } }).conferences).toEqual([
      { jvbConferenceId: "c", name: null, meetingId: null, endpointIds: ["x"] },
    ]);
  });
});

describe("small shapes", () => {
  it("version: os is optional", () => {
    expect(versionSchema.parse({ name: "JVB", version: "2.1-1", extra: 1 })).toEqual({ name: "JVB", version: "2.1-1", os: null });
  });

  it("stats: the timestamp is left null for the client to fill when absent", () => {
    const minimal = {
      stress_level: 0,
      conferences: 0,
      endpoints: 0,
      bit_rate_download: 0,
      bit_rate_upload: 0,
      packet_rate_download: 0,
      packet_rate_upload: 0,
      rtt_aggregate: 0,
      incoming_loss: 0,
      outgoing_loss: 0,
    };
    expect(jvbStatsSchema.parse(minimal).sampledAt).toBeNull();
  });
});
