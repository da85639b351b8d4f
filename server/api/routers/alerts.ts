import { z } from "zod";
import type { Issue } from "../../analysis/types";
import { participantNames } from "../../analyzer/meetings-view";
import { config } from "../../config/env";
import { adminProcedure, router } from "../trpc";

/** The quality alerts Meetscope raised, as the webhooks were told, and how their delivery went. */

const RESOLVED_SHOWN = 100;

/** Where alerts go, without the path or query: a webhook URL often carries its secret there. */
function origin(url: string | null): string | null {
  return url ? new URL(url).origin : null;
}

export const alertsRouter = router({
  list: adminProcedure.input(z.object({ resolvedWithinHours: z.number().int().min(1).max(24 * 30).default(24) }).default({ resolvedWithinHours: 24 })).query(async ({ ctx, input }) => {
    const { alerts } = config();
    const [firing, resolved] = await Promise.all([
      ctx.db.alertState.findMany({ where: { resolvedAt: null }, orderBy: [{ severity: "asc" }, { firstSeenAt: "desc" }] }),
      ctx.db.alertState.findMany({
        where: { resolvedAt: { gte: new Date(Date.now() - input.resolvedWithinHours * 3_600_000) } },
        orderBy: { resolvedAt: "desc" },
        take: RESOLVED_SHOWN,
      }),
    ]);
    const issueOf = (a: (typeof firing)[number]) => a.issue as unknown as Issue;
    const names = await participantNames(ctx.db, [...firing, ...resolved].flatMap((a) => issueOf(a).participantIds));
    const view = (a: (typeof firing)[number]) => {
      const issue = issueOf(a);
      return {
        key: a.key,
        meetingId: a.meetingId,
        room: a.room,
        severity: a.severity,
        summary: a.summary,
        kind: issue.kind,
        cause: issue.cause,
        who: issue.participantIds.map((id) => names.get(id) ?? "someone who left"),
        evidence: issue.evidence,
        rule: issue.rule,
        firstSeenAt: a.firstSeenAt,
        lastSeenAt: a.lastSeenAt,
        resolvedAt: a.resolvedAt,
        notifiedAt: a.notifiedAt,
        lastError: a.lastError,
      };
    };
    return {
      targets: { webhook: origin(alerts.webhookUrl), alertmanager: origin(alerts.alertmanagerUrl) },
      firing: firing.map(view),
      resolved: resolved.map(view),
      resolvedWithinHours: input.resolvedWithinHours,
    };
  }),
});
