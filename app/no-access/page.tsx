import { redirect } from "next/navigation";
import { RoleValues } from "@/components/shell/gates";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { currentViewer } from "@/server/auth/viewer";

export const metadata = { title: "No access" };

export default async function NoAccessPage() {
  const viewer = await currentViewer();
  if (!viewer) redirect("/signin");
  if (viewer.access !== "none") redirect("/");
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4">
      <section aria-labelledby="no-access-title" className="w-full max-w-lg rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 id="no-access-title" className="text-xl font-semibold">You have no access to Meetscope yet</h1>
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          You are signed in as <strong>{viewer.name ?? viewer.email ?? viewer.subject}</strong>
          {viewer.email ? ` (${viewer.email})` : ""}, but your account carries no Meetscope role.
        </p>
        <ul className="mt-4 list-disc space-y-2 pl-5 text-sm">
          <li>
            To see and run everything you need the <strong>admin</strong> role: <RoleValues role="admin" />.
          </li>
          <li>
            To see the health of rooms you moderate you need the <strong>moderator</strong> role: <RoleValues role="moderator" />, and
            an administrator assigning your rooms in Settings.
          </li>
        </ul>
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">Ask your identity-server administrator, then sign in again.</p>
        <div className="mt-6">
          <SignOutButton />
        </div>
      </section>
    </main>
  );
}
