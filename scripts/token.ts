/**
 * API tokens from the command line, for automation:
 *   npm run token -- create --name NAME --scope ingest|read   prints the token once
 *   npm run token -- list
 *   npm run token -- revoke ID
 * Uses DATABASE_URL (or the embedded database in MEETSCOPE_DATA_DIR, when Meetscope is not running on it).
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigError, parseEnv } from "../server/config/env";
import { openDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { pgliteFolderHolder } from "../server/db/pglite-lock";
import { createToken, scopeName, TOKEN_SCOPES } from "../server/tokens/tokens";

const USAGE = "usage: npm run token -- create --name NAME --scope ingest|read | list | revoke ID";

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  let cfg;
  try {
    cfg = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: "string" }, scope: { type: "string" } } });
  const [command, ...rest] = positionals;
  if (!command || !["create", "list", "revoke"].includes(command)) fail(USAGE);

  let create: { name: string; scope: (typeof TOKEN_SCOPES)[number] } | undefined;
  if (command === "create") {
    const parsed = z
      .object({ name: z.string({ error: "--name is required" }).trim().min(1, "--name is empty").max(100), scope: z.enum(TOKEN_SCOPES, { error: "--scope must be ingest or read" }) })
      .safeParse(values);
    if (!parsed.success) fail(`${parsed.error.issues.map((i) => i.message).join("; ")}\n${USAGE}`);
    create = parsed.data;
  }
  if (command === "revoke" && !z.uuid().safeParse(rest[0]).success) fail(`revoke needs a token id (see \`npm run token -- list\`)\n${USAGE}`);

  if (cfg.databaseUrl.startsWith("pglite:")) {
    const holder = pgliteFolderHolder(cfg.dataDir);
    if (holder) {
      fail(`Meetscope (pid ${holder}) is running on the embedded database in ${cfg.dataDir}: stop it first, or create the token in Settings → API tokens.`, 1);
    }
  }
  const database = openDb(cfg.databaseUrl);
  const { db, close } = database;
  try {
    await applyMigrations(database); // a token may be the first thing created on a new database
    if (create) {
      const token = await createToken(db, { ...create, createdBy: "command line" });
      console.error(`Created ${token.scope} token "${token.name}" (id ${token.id}). It is shown only this once:`);
      console.log(token.secret);
    } else if (command === "list") {
      const rows = await db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
      if (!rows.length) console.log("No tokens.");
      for (const t of rows) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : `last used ${t.lastUsedAt?.toISOString() ?? "never"}`;
        console.log(`${t.id}  ${scopeName(t.scope).padEnd(6)}  ${t.prefix}…  ${t.name}  (${state})`);
      }
    } else {
      const { count } = await db.apiToken.updateMany({ where: { id: rest[0], revokedAt: null }, data: { revokedAt: new Date() } });
      if (count === 0) fail(`No active token with id ${rest[0]}.`, 1);
      console.log(`Revoked ${rest[0]}.`);
    }
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => fail(`token: ${error instanceof Error ? error.message : String(error)}`, 1),
);
