/** The meeting-state filter of the Meetings page, kept in the URL (?state=). */
export const MEETING_STATES = ["all", "live", "ended"] as const;
export type MeetingState = (typeof MEETING_STATES)[number];
