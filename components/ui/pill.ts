/** A choice among a few views (filter, sort, window) as a link; the current one filled. */
export const pillClass = (current: boolean) =>
  `rounded-full px-3 py-1 text-sm font-medium ${current ? "bg-sky-700 text-white" : "bg-zinc-100 hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700"}`;
