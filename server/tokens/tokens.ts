import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { TokenScope } from "../db/generated/client";

/**
 * API tokens for meeting clients (scope ingest) and for reading the REST API (scope read). The secret is
 * shown once when created; only its sha256 is stored, so a database leak does not leak usable tokens.
 */

export const TOKEN_SCOPES = ["ingest", "read"] as const;
export type TokenScopeName = (typeof TOKEN_SCOPES)[number];

const scopeToDb: Record<TokenScopeName, TokenScope> = { ingest: "INGEST", read: "READ" };
export const scopeName = (scope: TokenScope): TokenScopeName => (scope === "INGEST" ? "ingest" : "read");

const PREFIX = "msc_";

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface CreatedToken {
  id: string;
  name: string;
  scope: TokenScopeName;
  /** the only time the secret exists outside the caller's hands */
  secret: string;
}

export async function createToken(db: Db, input: { name: string; scope: TokenScopeName; createdBy: string }): Promise<CreatedToken> {
  const secret = `${PREFIX}${input.scope === "ingest" ? "i" : "r"}_${randomBytes(24).toString("base64url")}`;
  const row = await db.apiToken.create({
    data: { name: input.name, scope: scopeToDb[input.scope], tokenHash: hashToken(secret), prefix: secret.slice(0, 10), createdBy: input.createdBy },
  });
  return { id: row.id, name: row.name, scope: input.scope, secret };
}

export interface TokenIdentity {
  id: string;
  name: string;
  scope: TokenScopeName;
}

// lastUsedAt is written at most once a minute per token, not on every request of a busy ingest stream.
const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

// Busy ingest clients send a batch every few seconds each: a short cache spares a query per request. A
// revocation takes effect within this time on every replica (at once on the one that revoked it).
const LOOKUP_CACHE_MS = 10_000;
type CachedLookup = { at: number; row: { id: string; name: string; scope: TokenScope; revokedAt: Date | null } | null };
// On globalThis so that revoking in Settings (the tRPC bundle) clears what the API routes' bundle cached.
const cacheStore = globalThis as unknown as { meetscopeTokenCache?: Map<string, CachedLookup> };
const lookupCache = (cacheStore.meetscopeTokenCache ??= new Map<string, CachedLookup>());

export function forgetCachedTokens(): void {
  lookupCache.clear();
}

/** The token behind an `Authorization: Bearer …` header, if it exists, is not revoked and has the scope. */
export async function authenticateToken(
  db: Db,
  authorization: string | null,
  scope: TokenScopeName,
  nowMs = Date.now(),
): Promise<{ ok: true; token: TokenIdentity } | { ok: false; status: 401 | 403; message: string }> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) return { ok: false, status: 401, message: "Send an API token as `Authorization: Bearer <token>` (create one in Settings → API tokens)." };
  const hash = hashToken(match[1]!);
  let cached = lookupCache.get(hash);
  if (!cached || nowMs - cached.at > LOOKUP_CACHE_MS) {
    const row = await db.apiToken.findUnique({ where: { tokenHash: hash }, select: { id: true, name: true, scope: true, revokedAt: true } });
    cached = { at: nowMs, row };
    if (lookupCache.size > 10_000) lookupCache.clear(); // bounded: unknown tokens must not grow it forever
    lookupCache.set(hash, cached);
  }
  const row = cached.row;
  if (!row || row.revokedAt) return { ok: false, status: 401, message: "This API token is unknown or revoked." };
  if (scopeName(row.scope) !== scope) {
    return { ok: false, status: 403, message: `This token has scope "${scopeName(row.scope)}"; this endpoint needs a "${scope}" token.` };
  }
  const last = lastUsedWritten.get(row.id) ?? 0;
  if (nowMs - last >= LAST_USED_WRITE_INTERVAL_MS) {
    lastUsedWritten.set(row.id, nowMs);
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(nowMs) } });
  }
  return { ok: true, token: { id: row.id, name: row.name, scope } };
}
