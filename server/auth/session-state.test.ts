import { describe, expect, it } from "vitest";
import { isSessionUsable, needsRefresh } from "./session-state";

const now = 1_800_000_000_000;
const inSeconds = (s: number) => Math.floor(now / 1000) + s;

describe("session state", () => {
  it("a session with a live access token is usable and not yet due for refresh", () => {
    const token = { sub: "a", expiresAt: inSeconds(120) };
    expect(isSessionUsable(token, now)).toBe(true);
    expect(needsRefresh(token, now)).toBe(false);
  });

  it("refresh is due 30 s before expiry", () => {
    expect(needsRefresh({ sub: "a", expiresAt: inSeconds(29) }, now)).toBe(true);
    expect(needsRefresh({ sub: "a", expiresAt: inSeconds(31) }, now)).toBe(false);
  });

  it("an expired access token is still usable while a refresh token can renew it", () => {
    expect(isSessionUsable({ sub: "a", expiresAt: inSeconds(-60), refreshToken: "r" }, now)).toBe(true);
    expect(isSessionUsable({ sub: "a", expiresAt: inSeconds(-60) }, now)).toBe(false);
  });

  it("a failed refresh or no session means signing in again", () => {
    expect(isSessionUsable({ sub: "a", expiresAt: inSeconds(60), error: "RefreshTokenError" }, now)).toBe(false);
    expect(isSessionUsable(null, now)).toBe(false);
    expect(isSessionUsable({}, now)).toBe(false);
  });
});
