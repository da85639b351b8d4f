import { describe, expect, it } from "vitest";
import { accessOf, claimValues, mapRoles } from "./roles";

const map = { admin: ["api-admin", "admin"], moderator: ["moderator"] };

describe("claimValues", () => {
  it("accepts a string, an array, a JSON-encoded array, and ignores the rest", () => {
    expect(claimValues("api-admin")).toEqual(["api-admin"]);
    expect(claimValues(["api-admin", "moderator"])).toEqual(["api-admin", "moderator"]);
    expect(claimValues('["api-viewer","moderator"]')).toEqual(["api-viewer", "moderator"]);
    expect(claimValues("[not json")).toEqual(["[not json"]);
    expect(claimValues(undefined)).toEqual([]);
    expect(claimValues(42)).toEqual([]);
    expect(claimValues(["", " admin "])).toEqual(["admin"]);
  });
});

describe("mapRoles", () => {
  it("reads the claim from the id_token and from userinfo (Janssen releases user claims to userinfo)", () => {
    expect(mapRoles([{ sub: "a" }, { jansAdminUIRole: ["api-admin"] }], "jansAdminUIRole", map)).toEqual(["admin"]);
    expect(mapRoles([{ jansAdminUIRole: "moderator" }, {}], "jansAdminUIRole", map)).toEqual(["moderator"]);
    expect(mapRoles([{ jansAdminUIRole: "moderator" }, { jansAdminUIRole: ["admin"] }], "jansAdminUIRole", map)).toEqual(["admin", "moderator"]);
  });

  it("gives no role for unmapped values, another claim, or none", () => {
    expect(mapRoles([{ jansAdminUIRole: ["api-viewer"] }], "jansAdminUIRole", map)).toEqual([]);
    expect(mapRoles([{ role: ["admin"] }], "jansAdminUIRole", map)).toEqual([]);
    expect(mapRoles([undefined, undefined], "jansAdminUIRole", map)).toEqual([]);
    expect(mapRoles([{ role: ["admin"] }], "role", map)).toEqual(["admin"]);
  });

  it("role values match exactly (no case folding, no prefixes)", () => {
    expect(mapRoles([{ r: ["Admin", "api-admins"] }], "r", map)).toEqual([]);
  });
});

describe("accessOf", () => {
  it("admin wins over moderator; nothing is none", () => {
    expect(accessOf(["moderator", "admin"])).toBe("admin");
    expect(accessOf(["moderator"])).toBe("moderator");
    expect(accessOf([])).toBe("none");
  });
});
