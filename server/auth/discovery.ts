import { z } from "zod";

/** The parts of the OpenID Provider's discovery document Meetscope uses, validated. */
const discoverySchema = z.object({
  issuer: z.string(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url(),
  end_session_endpoint: z.url().optional(),
});
export type Discovery = z.infer<typeof discoverySchema>;

const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { at: number; value: Promise<Discovery> }>();

/**
 * Fetches `{issuer}/.well-known/openid-configuration` (for Janssen the same document as
 * `/jans-auth/.well-known/openid-configuration`), cached for five minutes.
 */
export function discover(issuer: string, now = Date.now()): Promise<Discovery> {
  const hit = cache.get(issuer);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = (async () => {
    const url = `${issuer}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const parsed = discoverySchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`${url} is not an OpenID discovery document: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  })();
  value.catch(() => cache.delete(issuer)); // do not cache failures
  cache.set(issuer, { at: now, value });
  return value;
}
