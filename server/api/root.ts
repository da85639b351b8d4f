import { alertsRouter } from "./routers/alerts";
import { cacheRouter } from "./routers/cache";
import { meetingsRouter } from "./routers/meetings";
import { liveRouter } from "./routers/live";
import { meRouter } from "./routers/me";
import { roomsRouter } from "./routers/rooms";
import { actionsRouter, bridgesRouter, overviewRouter, scalingRouter } from "./routers/fleet";
import { settingsRouter } from "./routers/settings";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  overview: overviewRouter,
  meetings: meetingsRouter,
  alerts: alertsRouter,
  rooms: roomsRouter,
  bridges: bridgesRouter,
  scaling: scalingRouter,
  actions: actionsRouter,
  settings: settingsRouter,
  cache: cacheRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
