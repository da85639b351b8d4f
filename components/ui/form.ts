/** Shared class names for form controls, so every form looks and behaves the same. */
export const inputClass =
  "w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950 aria-[invalid=true]:border-red-500";
export const primaryButtonClass = "rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60";
export const smallButtonClass = "rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const fieldErrorClass = "mt-1 min-h-4 text-xs text-red-700 dark:text-red-400";
