/** Typed clients for the JVB and Jicofo REST APIs; everything they return is in ./types. */
export * from "./types";
export { createJvbClient, JVB_DISABLED_HINTS, type JitsiClientOptions, type JvbClient } from "./jvb";
export {
  createJicofoClient,
  JICOFO_DISABLED_HINTS,
  type JicofoClient,
  type MoveEndpointParams,
  type MoveEndpointsParams,
  type MoveFractionParams,
} from "./jicofo";
export { DEFAULT_MAX_BODY_BYTES } from "./http";
export { bridgeNameFromJid, parseJvbTimestamp } from "./schemas";
