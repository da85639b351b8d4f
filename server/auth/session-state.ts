import type { Role } from "./roles";

/** What Meetscope keeps in its encrypted session cookie (a next-auth JWT). Never sent to the browser whole. */
export interface SessionToken {
  sub?: string;
  name?: string | null;
  email?: string | null;
  roles?: Role[];
  /** kept for RP-initiated logout (id_token_hint) */
  idToken?: string;
  refreshToken?: string;
  /** access-token expiry, epoch seconds */
  expiresAt?: number;
  error?: "RefreshTokenError" | "RefreshTokenMissing";
}

/** Seconds before expiry at which the browser asks for a refresh. */
export const REFRESH_MARGIN_SECONDS = 30;

/**
 * May this session open a page? A session whose access token expired is still usable while it holds a refresh
 * token (the browser refreshes it at once); one whose refresh failed is not: the person signs in again.
 */
export function isSessionUsable(token: SessionToken | null, nowMs: number): boolean {
  if (!token?.sub || token.error) return false;
  if (token.expiresAt === undefined) return true;
  return token.expiresAt * 1000 > nowMs || Boolean(token.refreshToken);
}

export function needsRefresh(token: SessionToken, nowMs: number): boolean {
  return token.expiresAt !== undefined && token.expiresAt * 1000 - REFRESH_MARGIN_SECONDS * 1000 <= nowMs;
}
