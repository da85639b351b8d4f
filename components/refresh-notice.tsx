"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";

/**
 * Pages keep what they showed when a refresh fails (a network blip should not blank them); this says so,
 * until the failed figures load again. Only queries some component still shows count.
 */
export function RefreshNotice() {
  const cache = useQueryClient().getQueryCache();
  const subscribe = useCallback((onChange: () => void) => cache.subscribe(onChange), [cache]);
  const failure = useSyncExternalStore(
    subscribe,
    () => {
      const failed = cache.getAll().find((q) => q.state.status === "error" && q.state.data !== undefined && q.getObserversCount() > 0);
      return failed ? (failed.state.error?.message ?? "unknown error") : null;
    },
    () => null,
  );
  if (!failure) return null;
  return (
    <div
      role="status"
      aria-label="Refresh failed"
      className="fixed right-4 bottom-4 z-50 max-w-sm rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm shadow-lg dark:border-amber-900 dark:bg-amber-950"
    >
      Some figures could not be refreshed ({failure}). The page shows what it last loaded and keeps trying.
    </div>
  );
}
