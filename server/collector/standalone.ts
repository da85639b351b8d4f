/**
 * The background loops without the web app: `tsx server/collector/standalone.ts`. A replica started this way
 * takes part in leader election like a full one; used by the leader-election test and by operators who
 * want collection separate from serving.
 */
import { startBackground } from "../runtime";

startBackground();
