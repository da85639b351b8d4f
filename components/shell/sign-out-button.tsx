/** A plain form: works without JavaScript, and the POST carries the Origin header the route checks. */
export function SignOutButton({ className = "" }: { className?: string }) {
  return (
    <form method="post" action="/api/signout">
      <button
        type="submit"
        className={`rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800 ${className}`}
      >
        Sign out
      </button>
    </form>
  );
}
