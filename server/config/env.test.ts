import { describe, expect, it } from "vitest";
import { ConfigError, DEMO_CLIENT, parseEnv } from "./env";

function problems(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("parseEnv", () => {
  it("runs with nothing configured: PGlite, the demo identity provider, port 3000", () => {
    const cfg = parseEnv({});
    expect(cfg.port).toBe(3000);
    expect(cfg.databaseUrl).toBe("pglite:.data/pglite");
    expect(cfg.demoIdp).toBe(true);
    expect(cfg.publicUrl).toBe("http://localhost:3000");
    expect(cfg.oidc).toMatchObject({ issuer: "http://127.0.0.1:4010", clientId: DEMO_CLIENT.clientId, roleClaim: "jansAdminUIRole" });
    expect(cfg.roleMap).toEqual({ admin: ["api-admin", "admin"], moderator: ["moderator"] });
  });

  it("PORT moves the URL; empty values count as unset", () => {
    const cfg = parseEnv({ PORT: "3100", JANSSEN_ISSUER: "", DATABASE_URL: "" });
    expect(cfg.publicUrl).toBe("http://localhost:3100");
    expect(cfg.demoIdp).toBe(true);
  });

  it("uses a real Janssen when all three variables and a secret are set", () => {
    const cfg = parseEnv({
      JANSSEN_ISSUER: "https://id.example.org/",
      JANSSEN_CLIENT_ID: "meetscope",
      JANSSEN_CLIENT_SECRET: "s3cret",
      NEXTAUTH_SECRET: "x".repeat(32),
      NEXTAUTH_URL: "https://meetscope.example.org",
      MEETSCOPE_ADMIN_ROLES: " api-admin , ops ",
      DATABASE_URL: "postgresql://meetscope@db:5432/meetscope",
    });
    expect(cfg.demoIdp).toBe(false);
    expect(cfg.oidc.issuer).toBe("https://id.example.org");
    expect(cfg.roleMap.admin).toEqual(["api-admin", "ops"]);
    expect(cfg.databaseUrl).toBe("postgresql://meetscope@db:5432/meetscope");
  });

  it("names the missing variables when Janssen is configured halfway", () => {
    expect(problems({ JANSSEN_ISSUER: "https://id.example.org" })).toContain(
      "JANSSEN_ISSUER is set but JANSSEN_CLIENT_ID, JANSSEN_CLIENT_SECRET are not",
    );
    expect(problems({ JANSSEN_ISSUER: "https://id.example.org", JANSSEN_CLIENT_ID: "m" })).toContain("JANSSEN_CLIENT_SECRET is not");
  });

  it("requires a session secret with a real identity server", () => {
    expect(problems({ JANSSEN_ISSUER: "https://id.example.org", JANSSEN_CLIENT_ID: "m", JANSSEN_CLIENT_SECRET: "s" })).toContain("NEXTAUTH_SECRET is required");
    expect(problems({ NEXTAUTH_SECRET: "short" })).toContain("NEXTAUTH_SECRET=\"short\": expected at least 32 characters");
  });

  it("names the variable and what is expected for malformed values", () => {
    expect(problems({ PORT: "eighty" })).toContain("PORT=\"eighty\"");
    expect(problems({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL=\"mysql://x\": expected postgresql://");
    expect(problems({ JANSSEN_ISSUER: "id.example.org", JANSSEN_CLIENT_ID: "m", JANSSEN_CLIENT_SECRET: "s" })).toContain("JANSSEN_ISSUER=\"id.example.org\": expected an http(s) URL");
    expect(problems({ JANSSEN_SCOPES: "profile email" })).toContain('must include "openid"');
    expect(problems({ MEETSCOPE_MODERATOR_ROLES: "admin" })).toContain("both list admin");
    expect(problems({ RAW_SAMPLE_RETENTION_HOURS: "0.1" })).toContain('RAW_SAMPLE_RETENTION_HOURS="0.1"');
    expect(problems({ HISTORY_RETENTION_DAYS: "0" })).toContain('HISTORY_RETENTION_DAYS="0"');
    expect(parseEnv({ HISTORY_RETENTION_DAYS: "30" }).historyRetentionDays).toBe(30);
  });

  it("reports every problem at once", () => {
    const message = problems({ PORT: "0", DEMO_IDP_PORT: "70000" });
    expect(message).toContain("PORT=");
    expect(message).toContain("DEMO_IDP_PORT=");
  });
});
