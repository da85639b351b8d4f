/** The Meetings page's filter and sort, kept in the URL (?state=…&sort=…) so a view can be shared and reloaded. */
export const MEETING_STATES = ["all", "live", "ended"] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

export const MEETING_SORTS = { started: "Newest", health: "Worst health", participants: "Most participants" } as const;
export type MeetingSort = keyof typeof MEETING_SORTS;

export function parseMeetingView(params: { state?: string; sort?: string }): { state: MeetingState; sort: MeetingSort } {
  const state = MEETING_STATES.find((s) => s === params.state) ?? "all";
  const sort = (Object.keys(MEETING_SORTS) as MeetingSort[]).find((s) => s === params.sort) ?? "started";
  return { state, sort };
}

export function meetingsHref(view: { state: MeetingState; sort: MeetingSort }): string {
  const query = new URLSearchParams();
  if (view.state !== "all") query.set("state", view.state);
  if (view.sort !== "started") query.set("sort", view.sort);
  return query.size ? `/meetings?${query}` : "/meetings";
}

/** The meeting page's chart window (?window=minutes): the last part of the meeting its charts and timeline show. */
export const CHART_WINDOWS = { 15: "15 minutes", 60: "1 hour", 360: "6 hours", 1440: "24 hours" } as const;
export type ChartWindow = keyof typeof CHART_WINDOWS;

export function parseChartWindow(value: string | undefined): ChartWindow {
  const minutes = Number(value);
  return minutes in CHART_WINDOWS ? (minutes as ChartWindow) : 60;
}
