import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { withTier } from "@/server/api/route-tier";
import { currentViewer } from "@/server/auth/viewer";
import { db } from "@/server/db/client";

// "public" here because each procedure enforces its own tier (server/api/trpc.ts).
const handle = withTier("public", (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => ({ db: db(), viewer: await currentViewer() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error);
    },
  }),
);

export const GET = handle;
export const POST = handle;
