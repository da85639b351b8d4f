import { withAuth } from "next-auth/middleware";
import { isSessionUsable, type SessionToken } from "@/server/auth/session-state";

// Anonymous visitors (and sessions whose refresh failed) are sent to /signin with a callbackUrl.
// API routes answer 401 themselves instead of redirecting.
export default withAuth({
  pages: { signIn: "/signin" },
  callbacks: { authorized: ({ token }) => isSessionUsable(token as SessionToken | null, Date.now()) },
});

export const config = {
  matcher: ["/((?!api/|signin|signed-out|_next/|favicon.ico|icon.svg).*)"],
};
