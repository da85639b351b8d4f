/**
 * `npm start`: Meetscope on one command. Validates the configuration, starts the stand-ins that are needed
 * (the local identity provider when no Janssen issuer is configured), applies database migrations, builds
 * the app if the build is missing or older than the sources, and runs `next start`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ConfigError, parseEnv, type MeetscopeConfig } from "../server/config/env";
import { openDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { holdPgliteFolder, pgliteFolderHolder } from "../server/db/pglite-lock";
import { createToken } from "../server/tokens/tokens";
import { DEMO_PASSWORD, DEMO_USERS } from "../simulator/idp/users";

const SIMULATOR_TOKEN_NAME = "simulated meeting clients (demo)";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const require = createRequire(import.meta.url);

function loadConfig(): MeetscopeConfig {
  if (existsSync(".env")) process.loadEnvFile(".env");
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error("Every variable is described in .env.example.");
      process.exit(1);
    }
    throw error;
  }
}

/** In demo mode the session secret is generated once and kept in the data folder, so sessions survive restarts. */
function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function newestSourceMtimeMs(): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "components", "server", "proxy.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package.json"]) visit(p);
  return newest;
}

function buildIsCurrent(): boolean {
  const buildId = ".next/BUILD_ID";
  return existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceMtimeMs();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, args, { stdio: "inherit", env });
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function waitForHealth(url: string, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main() {
  const cfg = loadConfig();
  mkdirSync(cfg.dataDir, { recursive: true });
  const secret = cfg.authSecret ?? demoSecret(cfg.dataDir);
  const pglite = cfg.databaseUrl.startsWith("pglite:");

  console.log(`Meetscope — ${cfg.publicUrl}`);
  console.log(`  database: ${pglite ? `embedded PostgreSQL (PGlite) in ${cfg.databaseUrl.slice("pglite:".length)}` : "PostgreSQL from DATABASE_URL"}`);
  if (cfg.demoIdp) {
    console.log(`  sign-in:  local demo identity provider at ${cfg.oidc.issuer} (stand-in for Janssen; set JANSSEN_ISSUER to use yours)`);
    console.log(`  demo users (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => `${u.login} (${u.purpose})`).join("; ")}`);
  } else {
    console.log(`  sign-in:  Janssen at ${cfg.oidc.issuer} (client ${cfg.oidc.clientId})`);
  }
  if (cfg.simulator) {
    console.log(`  fleet:    simulated Jitsi fleet, ${cfg.simulator.bridges} bridges + Jicofo, scenario ${cfg.simulator.scenario} (set JVB_URLS / JICOFO_URLS for yours)`);
  } else {
    console.log(`  fleet:    ${cfg.sources.jvb.length} videobridge(s) from JVB_URLS, ${cfg.sources.jicofo.length} Jicofo(s) from JICOFO_URLS`);
  }

  const cleanups: Array<() => Promise<void> | void> = [];
  if (pglite) {
    const holder = pgliteFolderHolder(cfg.dataDir);
    if (holder) {
      console.error(`Another Meetscope (pid ${holder}) is running on ${cfg.dataDir}: the embedded database allows one. Stop it, or set MEETSCOPE_DATA_DIR.`);
      process.exit(1);
    }
    cleanups.push(holdPgliteFolder(cfg.dataDir));
  }
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const cleanup of cleanups.reverse()) await cleanup();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));

  if (cfg.demoIdp) {
    // imported here so oidc-provider's start-up warnings come after the lines above
    const { startIdp } = await import("../simulator/idp/server");
    const idp = await startIdp({
      port: cfg.demoIdpPort,
      appUrl: cfg.publicUrl,
      clientId: cfg.oidc.clientId,
      clientSecret: cfg.oidc.clientSecret,
      accessTokenTtlSeconds: cfg.demoIdpAccessTokenTtlSeconds,
    }).catch((error: NodeJS.ErrnoException) => {
      console.error(error.code === "EADDRINUSE" ? `DEMO_IDP_PORT ${cfg.demoIdpPort} is in use: stop what runs there or set DEMO_IDP_PORT.` : error);
      process.exit(1);
    });
    cleanups.push(() => idp.close());
  }

  // Migrations, then (demo only) the demo moderators' room assignments. PGlite allows one process per data
  // folder, so this connection is closed before Next.js opens its own.
  const database = openDb(cfg.databaseUrl);
  const { db } = database;
  let simulatorToken: string | null = null;
  try {
    const applied = await applyMigrations(database);
    console.log(applied.length ? `  migrations applied: ${applied.join(", ")}` : "  database schema is up to date");
    if (cfg.demoIdp) {
      for (const user of DEMO_USERS) {
        for (const room of user.demoRooms) {
          await db.roomAssignment.upsert({ where: { email_room: { email: user.email, room } }, create: { email: user.email, room, createdBy: "demo setup" }, update: {} });
        }
      }
    }
    if (cfg.simulator) {
      // A fresh ingest token for the simulated clients on every start; the previous one is revoked.
      await db.apiToken.updateMany({ where: { name: SIMULATOR_TOKEN_NAME, revokedAt: null }, data: { revokedAt: new Date() } });
      simulatorToken = (await createToken(db, { name: SIMULATOR_TOKEN_NAME, scope: "ingest", createdBy: "npm start" })).secret;
    }
  } finally {
    await database.close();
  }

  const sourceEnv: Record<string, string> = {};
  if (cfg.simulator && simulatorToken) {
    const { startFleet } = await import("../simulator/fleet/fleet");
    const { isScenarioName, SCENARIO_NAMES } = await import("../simulator/fleet/model");
    if (!isScenarioName(cfg.simulator.scenario)) {
      console.error(`MEETSCOPE_SIMULATOR_SCENARIO="${cfg.simulator.scenario}" is not a scenario: choose one of ${SCENARIO_NAMES.join(", ")}`);
      return shutdown(1);
    }
    const fleet = await startFleet({
      scenario: cfg.simulator.scenario,
      bridges: cfg.simulator.bridges,
      basePort: cfg.simulator.basePort,
      // the simulated clients post to this Meetscope; they buffer and retry until it is up
      // every 5 s (lib-jitsi-meet's own stats interval is 10 s): a lively demo
      ingest: { url: `http://127.0.0.1:${cfg.port}`, token: simulatorToken, intervalMs: 5000 },
    });
    cleanups.push(() => fleet.stop());
    sourceEnv.JVB_URLS = fleet.jvbUrlsEnv;
    sourceEnv.JICOFO_URLS = fleet.jicofoUrl;
    console.log(`  simulator control API: ${fleet.controlUrl}/control/state`);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: cfg.databaseUrl,
    NEXTAUTH_URL: cfg.publicUrl,
    NEXTAUTH_SECRET: secret,
    JANSSEN_ISSUER: cfg.oidc.issuer,
    JANSSEN_CLIENT_ID: cfg.oidc.clientId,
    JANSSEN_CLIENT_SECRET: cfg.oidc.clientSecret,
    MEETSCOPE_DEMO: cfg.demoMode ? "true" : "false",
    ...sourceEnv,
  };
  const nextBin = require.resolve("next/dist/bin/next");

  if (!buildIsCurrent()) {
    console.log("  building the app (first start or changed sources; about a minute on 2 cores)…");
    const code = await exitCode(run(process.execPath, [nextBin, "build"], env));
    if (code !== 0) {
      console.error("The build failed; see above.");
      return shutdown(code);
    }
  }

  // The background loops (collector, housekeeping) run in the server, not in the build.
  const server = run(process.execPath, [nextBin, "start", "-p", String(cfg.port)], { ...env, MEETSCOPE_BACKGROUND: "1" });
  cleanups.push(async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await exitCode(server);
    }
  });
  server.once("exit", (code) => void shutdown(code ?? 1));
  if (await waitForHealth(`http://127.0.0.1:${cfg.port}`, server)) console.log(`Meetscope is ready: ${cfg.publicUrl}`);
}

main().catch((error: unknown) => {
  console.error("Meetscope could not start:", error);
  process.exit(1);
});
