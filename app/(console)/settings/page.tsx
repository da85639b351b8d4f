import { ApiTokens } from "@/components/settings/api-tokens";
import { People } from "@/components/settings/people";
import { RoomAssignments } from "@/components/settings/room-assignments";
import { Sources } from "@/components/settings/sources";
import { ThresholdsForm } from "@/components/settings/thresholds";
import { AdminOnly, requireViewer } from "@/components/shell/gates";
import { Card } from "@/components/ui/card";
import { Code } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { config } from "@/server/config/env";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const viewer = await requireViewer();
  if (viewer.access !== "admin") return <AdminOnly what="The Settings page" />;
  const cfg = config();
  return (
    <>
      <PageHeader title="Settings" description="Where Meetscope gets its figures, who may see what, and how people sign in." />
      <div className="space-y-6">
        <Card title="Jitsi sources">
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            The videobridge and Jicofo REST endpoints Meetscope polls every few seconds. Bridges that Jicofo knows but that are not listed here still appear on the Bridges page, with what Jicofo says about them.
          </p>
          <Sources />
        </Card>
        <Card title="API tokens">
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            Meeting clients post their figures to <code>POST /api/v1/ingest</code> with an ingest token; tools read <code>GET /api/v1/bridges</code> with a read token. Tokens are stored hashed.
          </p>
          <ApiTokens />
        </Card>
        <Card title="Quality thresholds">
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            The rules the analyzer classifies streams and raises issues by. Defaults are the published Microsoft Teams values and Jicofo&apos;s overload threshold.
          </p>
          <ThresholdsForm />
        </Card>
        <Card title="Moderator rooms">
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            A person with the moderator role sees the health of the rooms assigned to their e-mail address, and nothing else of the fleet.
          </p>
          <RoomAssignments />
        </Card>
        <Card title="Identity server">
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="font-medium">Issuer</dt>
            <dd><Code>{cfg.oidc.issuer}</Code>{cfg.demoMode ? " (local demo identity provider)" : null}</dd>
            <dt className="font-medium">Client</dt>
            <dd><Code>{cfg.oidc.clientId}</Code></dd>
            <dt className="font-medium">Scopes</dt>
            <dd><Code>{cfg.oidc.scopes}</Code></dd>
            <dt className="font-medium">Role claim</dt>
            <dd><Code>{cfg.oidc.roleClaim}</Code> (read from the id_token and userinfo)</dd>
            <dt className="font-medium">Admin role values</dt>
            <dd className="flex flex-wrap gap-1">{cfg.roleMap.admin.map((r) => <Code key={r}>{r}</Code>)}</dd>
            <dt className="font-medium">Moderator role values</dt>
            <dd className="flex flex-wrap gap-1">{cfg.roleMap.moderator.map((r) => <Code key={r}>{r}</Code>)}</dd>
          </dl>
          <p className="mt-4 text-xs text-zinc-500 dark:text-zinc-400">
            Set by JANSSEN_ISSUER, JANSSEN_CLIENT_ID, JANSSEN_SCOPES, JANSSEN_ROLE_CLAIM, MEETSCOPE_ADMIN_ROLES and MEETSCOPE_MODERATOR_ROLES.
          </p>
        </Card>
        <Card title="People">
          <People />
        </Card>
      </div>
    </>
  );
}
