/**
 * Which meetings someone is watching right now in this process (open meeting pages' subscriptions). New samples
 * of a watched meeting are analyzed at once (at most every few seconds) instead of at the next 30 s round, so
 * an issue reaches the open page in seconds.
 */
// On globalThis: the subscriptions (route handler bundle) and the analysis (instrumentation bundle) share it.
const store = globalThis as unknown as { meetscopeWatchers?: Map<string, number> };
const watchers = (store.meetscopeWatchers ??= new Map<string, number>());

export function watchMeeting(meetingId: string): () => void {
  watchers.set(meetingId, (watchers.get(meetingId) ?? 0) + 1);
  return () => {
    const left = (watchers.get(meetingId) ?? 1) - 1;
    if (left <= 0) watchers.delete(meetingId);
    else watchers.set(meetingId, left);
  };
}

export function isWatched(meetingId: string): boolean {
  return watchers.has(meetingId);
}
