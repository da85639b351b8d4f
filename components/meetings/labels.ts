import type { Issue } from "@/server/analysis/types";

/** How an issue's cause reads in the UI. */
export const CAUSE_LABEL: Record<Issue["cause"], string> = {
  "participant-network": "participant's network",
  bridge: "overloaded bridge",
  "participant-cpu": "participant's CPU",
};

export const issueKindLabel = (kind: Issue["kind"]) => kind.replaceAll("-", " ");
