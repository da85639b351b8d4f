import { redirect } from "next/navigation";
import { config } from "@/server/config/env";
import { currentViewer, type Viewer } from "@/server/auth/viewer";
import { Code } from "../ui/empty-state";

/** The signed-in person with a Meetscope role; others go to sign in or to the no-access page. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect("/signin");
  if (viewer.access === "none") redirect("/no-access");
  return viewer;
}

/** Which identity-server role values grant a Meetscope role, for messages that tell people what to ask for. */
export function RoleValues({ role }: { role: "admin" | "moderator" }) {
  const cfg = config();
  const values = cfg.roleMap[role];
  return (
    <>
      {values.map((v, i) => (
        <span key={v}>
          {i > 0 ? " or " : ""}
          <Code>{v}</Code>
        </span>
      ))}{" "}
      in the <Code>{cfg.oidc.roleClaim}</Code> claim
    </>
  );
}

export function AdminOnly({ what }: { what: string }) {
  return (
    <div role="alert" className="rounded-xl border border-amber-300 bg-amber-50 p-6 dark:border-amber-900 dark:bg-amber-950">
      <h1 className="text-lg font-semibold">Administrators only</h1>
      <p className="mt-2 text-sm">
        {what} is for Meetscope administrators: the <strong>admin</strong> role, given by the identity server role{" "}
        <RoleValues role="admin" />. As a moderator you can open the health of the rooms you moderate under My rooms.
      </p>
    </div>
  );
}
