/**
 * Mapping identity-provider claims to Meetscope roles. Pure: claims in, roles out.
 *
 * Janssen releases user claims (jansAdminUIRole among them) to /userinfo by default and keeps the id_token
 * to authentication claims, so the role claim is read from both and merged.
 */

export const ROLES = ["admin", "moderator"] as const;
export type Role = (typeof ROLES)[number];

export interface RoleMap {
  admin: string[];
  moderator: string[];
}

/** A claim may be a string, an array of strings, or a JSON-encoded array (some Janssen scripts emit that). */
export function claimValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(claimValues);
  if (typeof value !== "string") return [];
  const trimmed = value.trim();
  if (trimmed.startsWith("[")) {
    try {
      return claimValues(JSON.parse(trimmed));
    } catch {
      // not JSON after all: treat as a plain value
    }
  }
  return trimmed ? [trimmed] : [];
}

export function mapRoles(claimSources: Array<Record<string, unknown> | undefined>, roleClaim: string, roleMap: RoleMap): Role[] {
  const values = new Set(claimSources.flatMap((claims) => claimValues(claims?.[roleClaim])));
  const roles: Role[] = [];
  if (roleMap.admin.some((r) => values.has(r))) roles.push("admin");
  if (roleMap.moderator.some((r) => values.has(r))) roles.push("moderator");
  return roles;
}

export type Access = "admin" | "moderator" | "none";

export function accessOf(roles: readonly Role[]): Access {
  if (roles.includes("admin")) return "admin";
  if (roles.includes("moderator")) return "moderator";
  return "none";
}
