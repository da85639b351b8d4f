import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every exported HTTP method of every route handler is `withTier(tier, …)` or an alias of one. */
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

describe("route handler tiers", () => {
  const files = routeFiles(path.resolve("app"));

  it("finds the route handlers", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    it(`${path.relative(process.cwd(), file)} declares a tier for each method`, () => {
      const source = readFileSync(file, "utf8");
      const tiered = new Set([...source.matchAll(/(?:const|let)\s+(\w+)\s*=\s*withTier\(\s*"(public|signedIn|admin|ingestToken|readToken)"/g)].map((m) => m[1]));
      const exported = [...source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+(\w+)\s*(=\s*(\w+)\s*;|=\s*withTier\(\s*"(public|signedIn|admin|ingestToken|readToken)"|\()/g)];
      const methods = exported.filter((m) => METHODS.includes(m[1]!));
      expect(methods.length, "no HTTP method exported").toBeGreaterThan(0);
      for (const m of methods) {
        const direct = m[4] !== undefined;
        const alias = m[3] !== undefined && tiered.has(m[3]);
        expect(direct || alias, `${m[1]} must be withTier(tier, handler)`).toBe(true);
      }
    });
  }
});
