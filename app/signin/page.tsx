import { redirect } from "next/navigation";
import { currentViewer } from "@/server/auth/viewer";
import { config } from "@/server/config/env";
import { DEMO_PASSWORD, DEMO_USERS } from "@/simulator/idp/users";
import { SignInButton } from "./sign-in-button";

export const metadata = { title: "Sign in" };

// next-auth error codes (?error=…) in words people can act on
const ERRORS: Record<string, string> = {
  OAuthSignin: "Meetscope could not start the sign-in with the identity server. Check that JANSSEN_ISSUER is reachable.",
  OAuthCallback: "The identity server's answer could not be verified. Try again; if it persists, check the client's redirect URI and secret.",
  Callback: "Signing in failed while reading your account. Try again.",
  AccessDenied: "The identity server refused the sign-in.",
  SessionRequired: "Please sign in to continue.",
  Default: "Signing in failed. Try again.",
};

/** Only same-site paths: an open redirect through callbackUrl would let other sites borrow our sign-in. */
function safeCallback(value: string | undefined): string {
  if (!value) return "/";
  try {
    const url = new URL(value, "http://meetscope.invalid");
    if (url.origin !== "http://meetscope.invalid" && url.origin !== new URL(config().publicUrl).origin) return "/";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/";
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallback(callbackUrl);
  if (!error && (await currentViewer())) redirect(target);
  const cfg = config();
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4 py-10">
      <section aria-labelledby="signin-title" className="w-full max-w-md rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mb-6 flex items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element -- a static SVG */}
          <img src="/icon.svg" alt="" width={36} height={36} />
          <div>
            <h1 id="signin-title" className="text-xl font-semibold">Sign in to Meetscope</h1>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Performance console for your Jitsi Meet fleet</p>
          </div>
        </div>
        {error ? (
          <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
            {ERRORS[error] ?? ERRORS.Default}
          </p>
        ) : null}
        <SignInButton callbackUrl={target} />
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">Identity server: {cfg.oidc.issuer}</p>
        {cfg.demoMode ? (
          <div className="mt-6 border-t border-zinc-200 pt-4 text-sm dark:border-zinc-800">
            <p className="font-medium">Demo mode</p>
            <p className="mt-1 text-zinc-600 dark:text-zinc-400">
              A local identity provider stands in for Janssen. Demo users (password <code>{DEMO_PASSWORD}</code>):
            </p>
            <ul className="mt-2 space-y-1">
              {DEMO_USERS.map((u) => (
                <li key={u.login}>
                  <code className="font-semibold">{u.login}</code> — {u.purpose}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
    </main>
  );
}
