import { z } from "zod";

/**
 * Meetscope's configuration, read from the environment once. Every variable is listed with its meaning in
 * .env.example. `parseEnv` is pure (takes the environment, returns config or throws ConfigError) so the start
 * script and the tests exercise the same rules.
 */

const commaList = z
  .string()
  .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean));

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL, e.g. https://janssen.example.org" });

const rawSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:)/, "expected postgresql://user@host:port/db or pglite:<data folder>")
    .optional(),
  MEETSCOPE_DATA_DIR: z.string().min(1).default(".data"),
  NEXTAUTH_URL: httpUrl.optional(),
  NEXTAUTH_SECRET: z.string().min(32, "expected at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  JANSSEN_ISSUER: httpUrl.optional(),
  JANSSEN_CLIENT_ID: z.string().min(1).optional(),
  JANSSEN_CLIENT_SECRET: z.string().min(1).optional(),
  JANSSEN_SCOPES: z.string().min(1).default("openid profile email offline_access"),
  JANSSEN_ROLE_CLAIM: z.string().min(1).default("jansAdminUIRole"),
  MEETSCOPE_ADMIN_ROLES: commaList.default(["api-admin", "admin"]),
  MEETSCOPE_MODERATOR_ROLES: commaList.default(["moderator"]),
  DEMO_IDP_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  /** Set by the start script for the Next.js process it launches with the local identity provider. */
  MEETSCOPE_DEMO: z.enum(["true", "false"]).optional(),
  DEMO_IDP_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(86400).default(300),
  JVB_URLS: z.string().optional(),
  JICOFO_URLS: z.string().optional(),
  COLLECTOR_INTERVAL_MS: z.coerce.number().int().min(250).max(600_000).default(5000),
  COLLECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2500),
  COLLECTOR_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  // at least 15 minutes: the charts read the last 2 minutes of raw samples, and the roll-up runs once a minute
  RAW_SAMPLE_RETENTION_HOURS: z.coerce.number().min(0.25).max(24 * 365).default(48),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  MEETSCOPE_SIMULATOR: z.enum(["auto", "on", "off"]).default("auto"),
  MEETSCOPE_SIMULATOR_SCENARIO: z.string().min(1).default("steady-day"),
  MEETSCOPE_SIMULATOR_BRIDGES: z.coerce.number().int().min(1).max(5000).default(3),
  MEETSCOPE_SIMULATOR_BASE_PORT: z.coerce.number().int().min(0).max(65000).default(0),
  ALERT_WEBHOOK_URL: httpUrl.optional(),
  ALERTMANAGER_URL: httpUrl.optional(),
  INGEST_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(4_000_000),
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
});

export interface MeetscopeConfig {
  port: number;
  databaseUrl: string;
  dataDir: string;
  publicUrl: string;
  /** null in demo mode until the start script generates one */
  authSecret: string | null;
  /** true when no Janssen issuer is configured: the local identity provider stands in for it */
  demoIdp: boolean;
  /** true in the process the start script launched in demo mode (shows the demo users on the sign-in page) */
  demoMode: boolean;
  demoIdpPort: number;
  demoIdpAccessTokenTtlSeconds: number;
  oidc: { issuer: string; clientId: string; clientSecret: string; scopes: string; roleClaim: string };
  roleMap: { admin: string[]; moderator: string[] };
  ingest: { maxBodyBytes: number; batchesPerMinutePerToken: number };
  sources: { jvb: SourceSpec[]; jicofo: SourceSpec[] };
  collector: { intervalMs: number; timeoutMs: number; concurrency: number; rawRetentionHours: number };
  /** days ended meetings (with their reports and chart roll-ups), bridge minute roll-ups and resolved alerts are kept */
  historyRetentionDays: number;
  /** where quality alerts go: a generic JSON webhook and/or an Alertmanager (its base URL) */
  alerts: { webhookUrl: string | null; alertmanagerUrl: string | null };
  /** the simulated fleet, started by `npm start`; null when real sources are configured or it is off */
  simulator: { scenario: string; bridges: number; basePort: number } | null;
}

/** One entry of JVB_URLS / JICOFO_URLS: `http://host:port` or `name=http://host:port`. */
export interface SourceSpec {
  url: string;
  /** the bridge's Jicofo nickname (JVB only), to join JVB figures with what Jicofo says */
  bridgeName: string | null;
}

function parseSourceList(variable: string, value: string | undefined, problems: string[]): SourceSpec[] {
  const specs: SourceSpec[] = [];
  for (const entry of (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const match = /^(?:([^=\s/]+)=)?(.+)$/.exec(entry)!;
    const parsed = httpUrl.safeParse(match[2]);
    if (!parsed.success) {
      problems.push(`${variable}: "${entry}" is not an http(s) URL (expected e.g. http://10.0.0.5:8080 or jvb1=http://10.0.0.5:8080)`);
      continue;
    }
    specs.push({ url: parsed.data.replace(/\/+$/, ""), bridgeName: match[1] ?? null });
  }
  return specs;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Meetscope cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export const DEMO_CLIENT = { clientId: "meetscope-demo", clientSecret: "meetscope-demo-secret" } as const;

export function parseEnv(env: Record<string, string | undefined>): MeetscopeConfig {
  // Empty strings mean "unset" (a .env line `JANSSEN_ISSUER=` should not fail as "invalid URL").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = rawSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".")}=${JSON.stringify(cleaned[String(i.path[0])])}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const janssenVars = ["JANSSEN_ISSUER", "JANSSEN_CLIENT_ID", "JANSSEN_CLIENT_SECRET"] as const;
  const setJanssen = janssenVars.filter((k) => e[k] !== undefined);
  if (setJanssen.length > 0 && setJanssen.length < janssenVars.length) {
    const missing = janssenVars.filter((k) => e[k] === undefined);
    problems.push(
      `${setJanssen.join(", ")} ${setJanssen.length === 1 ? "is" : "are"} set but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not: ` +
        "set all three to sign in with Janssen, or none to use the local demo identity provider",
    );
  }
  const demoIdp = setJanssen.length === 0;
  if (!demoIdp && !e.NEXTAUTH_SECRET) {
    problems.push("NEXTAUTH_SECRET is required with a real Janssen issuer: at least 32 random characters that encrypt sessions");
  }
  if (!e.JANSSEN_SCOPES.split(/\s+/).includes("openid")) {
    problems.push(`JANSSEN_SCOPES="${e.JANSSEN_SCOPES}" must include "openid"`);
  }
  const overlap = e.MEETSCOPE_ADMIN_ROLES.filter((r) => e.MEETSCOPE_MODERATOR_ROLES.includes(r));
  if (overlap.length) {
    problems.push(`MEETSCOPE_ADMIN_ROLES and MEETSCOPE_MODERATOR_ROLES both list ${overlap.join(", ")}: a role value maps to one Meetscope role`);
  }
  const sources = { jvb: parseSourceList("JVB_URLS", e.JVB_URLS, problems), jicofo: parseSourceList("JICOFO_URLS", e.JICOFO_URLS, problems) };
  if (problems.length) throw new ConfigError(problems);

  const publicUrl = (e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? `pglite:${e.MEETSCOPE_DATA_DIR}/pglite`,
    dataDir: e.MEETSCOPE_DATA_DIR,
    publicUrl,
    authSecret: e.NEXTAUTH_SECRET ?? null,
    demoIdp,
    demoMode: demoIdp || e.MEETSCOPE_DEMO === "true",
    demoIdpPort: e.DEMO_IDP_PORT,
    demoIdpAccessTokenTtlSeconds: e.DEMO_IDP_ACCESS_TOKEN_TTL_SECONDS,
    oidc: {
      issuer: (e.JANSSEN_ISSUER ?? `http://127.0.0.1:${e.DEMO_IDP_PORT}`).replace(/\/$/, ""),
      clientId: e.JANSSEN_CLIENT_ID ?? DEMO_CLIENT.clientId,
      clientSecret: e.JANSSEN_CLIENT_SECRET ?? DEMO_CLIENT.clientSecret,
      scopes: e.JANSSEN_SCOPES,
      roleClaim: e.JANSSEN_ROLE_CLAIM,
    },
    roleMap: { admin: e.MEETSCOPE_ADMIN_ROLES, moderator: e.MEETSCOPE_MODERATOR_ROLES },
    ingest: { maxBodyBytes: e.INGEST_MAX_BODY_BYTES, batchesPerMinutePerToken: e.INGEST_RATE_LIMIT_PER_MINUTE },
    sources,
    alerts: { webhookUrl: e.ALERT_WEBHOOK_URL ?? null, alertmanagerUrl: e.ALERTMANAGER_URL?.replace(/\/+$/, "") ?? null },
    collector: {
      intervalMs: e.COLLECTOR_INTERVAL_MS,
      timeoutMs: e.COLLECTOR_TIMEOUT_MS,
      concurrency: e.COLLECTOR_CONCURRENCY,
      rawRetentionHours: e.RAW_SAMPLE_RETENTION_HOURS,
    },
    historyRetentionDays: e.HISTORY_RETENTION_DAYS,
    simulator:
      e.MEETSCOPE_SIMULATOR === "on" || (e.MEETSCOPE_SIMULATOR === "auto" && sources.jvb.length + sources.jicofo.length === 0)
        ? { scenario: e.MEETSCOPE_SIMULATOR_SCENARIO, bridges: e.MEETSCOPE_SIMULATOR_BRIDGES, basePort: e.MEETSCOPE_SIMULATOR_BASE_PORT }
        : null,
  };
}

let cached: MeetscopeConfig | undefined;

/** The server's configuration. The start script has already validated it, so a throw here is a wiring bug. */
export function config(): MeetscopeConfig {
  cached ??= parseEnv(process.env);
  return cached;
}
