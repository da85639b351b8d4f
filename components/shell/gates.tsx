import { redirect } from "next/navigation";
import { config } from "@/server/config/env";
import { currentViewer, type Viewer } from "@/server/auth/viewer";
import { Code } from "../ui/empty-state";
import { Refusal } from "../ui/refusal";

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
    <Refusal title="Administrators only">
      {what} is for Meetscope administrators: the <strong>admin</strong> role, given by the identity server role{" "}
      <RoleValues role="admin" />. As a moderator you can open the health of the rooms you moderate under My rooms.
    </Refusal>
  );
}
