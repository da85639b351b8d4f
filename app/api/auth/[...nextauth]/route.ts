import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/options";
import { withTier } from "@/server/api/route-tier";

type NextAuthContext = { params: Promise<{ nextauth: string[] }> };

// Built on first request, not at import: `next build` imports this module without the runtime environment.
let handler: ((req: Request, ctx: NextAuthContext) => Promise<Response>) | undefined;
const nextAuth = (req: Request, ctx: NextAuthContext) => (handler ??= NextAuth(authOptions()) as typeof handler & object)(req, ctx);

export const GET = withTier("public", nextAuth);
export const POST = withTier("public", nextAuth);
