/**
 * Next.js calls register() once when the server starts. The background loops (collector, housekeeping) run
 * only in a server the start script launched (MEETSCOPE_BACKGROUND=1), never during `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.MEETSCOPE_BACKGROUND === "1") {
    const { startBackground } = await import("./server/runtime");
    startBackground();
  }
}
