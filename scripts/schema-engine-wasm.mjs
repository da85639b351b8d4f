#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (which cannot be downloaded here).
// Use: PRISMA_SCHEMA_ENGINE_BINARY=scripts/schema-engine-wasm.mjs prisma <generate|migrate deploy|migrate status|...>
// Speaks the CLI's stdio JSON-RPC and forwards each call to Prisma's own schema engine compiled to WebAssembly
// (@prisma/schema-engine-wasm, same build as the CLI), which reaches the database through a driver adapter:
// postgresql://... -> @prisma/adapter-pg, pglite:<dir> or pglite:memory:// -> pglite-prisma-adapter.
import { appendFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
console.log = console.info = console.warn = console.error; // stdout carries JSON-RPC only
const trace = (s) => process.env.SCHEMA_ENGINE_WASM_TRACE && appendFileSync(process.env.SCHEMA_ENGINE_WASM_TRACE, s);

// A fresh glue module + wasm instance per engine: the wasm-bindgen glue is a module-level singleton and
// re-instantiating under it corrupts it ("FnOnce called more than once").
let compiled;
let instances = 0;
export async function loadSchemaEngine() {
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { message: "", get() { return this.message; }, set_message(m) { this.message = `RuntimeError: ${m}`; } };
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  compiled ??= WebAssembly.compile(await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm")));
  const glue = await import(`${pathToFileURL(gluePath).href}?instance=${instances++}`);
  const instance = await WebAssembly.instantiate(await compiled, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// Remembers the adapters the engine opens so they can be disposed at the end.
export function tracking(factory) {
  const opened = [];
  const track = (p) => p.then((a) => (opened.push(a), a));
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    },
    close: () => Promise.allSettled(opened.map((a) => a.dispose())),
  };
}

export async function adapterFactoryFor(url) {
  if (url.startsWith("pglite:")) {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const dataDir = url.slice("pglite:".length) || "memory://";
    if (!dataDir.includes("://")) await mkdir(dataDir, { recursive: true }); // PGlite does not mkdir -p
    const client = new PGlite(dataDir);
    const t = tracking(new PrismaPGlite(client));
    return { factory: t.factory, close: async () => { await t.close(); await client.close(); } };
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  // Discrete fields, not {connectionString}: connectToShadowDb() overrides `database`, which pg ignores
  // when connectionString is set (the "shadow" would be the main database).
  const { parse } = await import("pg-connection-string");
  return tracking(new PrismaPg(parse(url)));
}

export async function main(args) {
  if (args.includes("--version")) return void process.stdout.write(`schema-engine-wasm ${(await loadSchemaEngine()).version()}\n`);
  trace(`argv ${JSON.stringify(args)}\n`);
  const datamodelPaths = [];
  let datasource;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--datamodels") datamodelPaths.push(args[++i]);
    else if (args[i] === "--datasource") datasource = JSON.parse(args[++i]);
  }
  const url = datasource?.url ?? process.env.DATABASE_URL ?? "pglite:memory://";

  // One-shot mode: `--datasource <json> cli can-connect-to-database|create-database`. Exit 0 = ok; on failure
  // the CLI parses stderr lines after the first as JSON log records (error_code P1003 = db missing -> create).
  const cli = args.indexOf("cli");
  if (cli !== -1) {
    const command = args[cli + 1];
    try {
      if (command === "create-database" && !url.startsWith("pglite:")) {
        const { default: pg } = await import("pg");
        const { parse } = await import("pg-connection-string");
        const cfg = parse(url);
        const admin = new pg.Client({ ...cfg, database: "postgres" });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${cfg.database.replaceAll('"', '""')}"`);
        await admin.end();
      } else {
        const { factory, close } = await adapterFactoryFor(url);
        const adapter = await factory.connect();
        await adapter.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
        await close();
      }
      return;
    } catch (e) {
      const missing = /DatabaseDoesNotExist|does not exist/.test(e?.cause?.kind ?? e?.message ?? "");
      const record = { level: "ERROR", target: "schema_engine::logger", fields: { error_code: missing ? "P1003" : "P1001", message: missing ? `Database does not exist: ${url}` : String(e?.message ?? e) } };
      process.stderr.write(`schema-engine-wasm ${command} failed\n${JSON.stringify(record)}\n`);
      process.exitCode = 1;
      return;
    }
  }

  const datamodels = await Promise.all(datamodelPaths.map(async (p) => [p, await readFile(p, "utf8")]));
  // `migrate diff` starts the engine without --datamodels; the wasm engine panics without one.
  if (datamodels.length === 0) datamodels.push(["schema.prisma", 'datasource db {\n  provider = "postgresql"\n}\n']);
  const { factory, close } = await adapterFactoryFor(url);
  const send = (msg) => { trace(`-> ${JSON.stringify(msg).slice(0, 2000)}\n`); process.stdout.write(`${JSON.stringify(msg)}\n`); };
  const alias = { getDatabaseVersion: "version" };
  let queue = Promise.resolve();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    trace(`<- ${line.slice(0, 2000)}\n`);
    const req = JSON.parse(line);
    if (!req.method) return; // the CLI's reply to our "print" request
    queue = queue.then(async () => {
      const engine = await (await loadSchemaEngine()).SchemaEngine.new({ datamodels }, (m) => trace(`log ${m}\n`), bindMigrationAwareSqlAdapterFactory(factory));
      try {
        const fn = engine[alias[req.method] ?? req.method];
        if (typeof fn !== "function") throw new Error(`${req.method} is not supported by the wasm schema engine`);
        const result = await fn.call(engine, req.params ?? {});
        // The native engine prints `migrate diff` output through a "print" request; wasm returns it.
        if (req.method === "diff" && result?.stdout) send({ jsonrpc: "2.0", id: `print-${req.id}`, method: "print", params: { content: result.stdout.replace(/\n$/, "") } });
        send({ jsonrpc: "2.0", id: req.id, result: result ?? {} });
      } catch (e) {
        const message = e?.message ?? String(e);
        send({ jsonrpc: "2.0", id: req.id, error: { code: 4466, message, data: { is_panic: false, message, error_code: e?.code, meta: e?.meta } } });
      } finally {
        engine.free();
      }
    });
  });
  await new Promise((resolve) => rl.on("close", resolve));
  await queue;
  await close();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exit explicitly: the wasm engine leaves a ~10 s timer behind.
  main(process.argv.slice(2)).then(() => process.exit(process.exitCode ?? 0), (e) => { console.error(e); process.exit(1); });
}
