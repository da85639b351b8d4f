import { deploy } from "../../scripts/db.mjs";
import type { OpenDb } from "./client";

/**
 * Applies prisma/migrations with Prisma's own (wasm) schema engine through the open database's adapter,
 * writing the standard `_prisma_migrations` history. Returns the names of the migrations it applied.
 */
export function applyMigrations(open: OpenDb): Promise<string[]> {
  return deploy(open.adapter);
}
