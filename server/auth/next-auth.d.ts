import type { Role } from "./roles";

declare module "next-auth" {
  interface User {
    roles?: Role[];
  }
  interface Session {
    user: { name: string | null; email: string | null; sub: string };
    roles: Role[];
    /** access-token expiry, epoch seconds */
    expiresAt: number | null;
    canRefresh: boolean;
    error: "RefreshTokenError" | "RefreshTokenMissing" | null;
  }
}
