import Link from "next/link";

export const metadata = { title: "Signed out" };

export default async function SignedOutPage({ searchParams }: { searchParams: Promise<{ idp?: string }> }) {
  const { idp } = await searchParams;
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4">
      <section aria-labelledby="signed-out-title" className="w-full max-w-md rounded-xl border border-zinc-200 bg-white p-8 text-center shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 id="signed-out-title" className="text-xl font-semibold">You are signed out</h1>
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          {idp === "unreachable"
            ? "You are signed out of Meetscope. The identity server could not be reached, so your session there may still be open."
            : "You are signed out of Meetscope and of the identity server."}
        </p>
        <Link href="/" className="mt-6 inline-block rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800">
          Sign in again
        </Link>
      </section>
    </main>
  );
}
