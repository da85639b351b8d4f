"use client";
import { signIn, useSession } from "next-auth/react";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { REFRESH_MARGIN_SECONDS } from "@/server/auth/session-state";

/**
 * Keeps the sign-in alive: shortly before the identity provider's access token expires, asks the server to
 * refresh it (POST /api/auth/session, whose response saves the new cookie). If the refresh fails, the person
 * is sent to sign in again rather than left on a page whose next request would fail.
 */
export function SessionKeeper() {
  const { data: session, update } = useSession();
  const expiresAt = session?.expiresAt ?? null;
  const canRefresh = session?.canRefresh ?? false;
  const error = session?.error ?? null;
  const onAuthPage = /^\/(signin|signed-out)/.test(usePathname());

  useEffect(() => {
    if (onAuthPage) return;
    if (error) {
      void signIn("janssen", { callbackUrl: window.location.href });
      return;
    }
    if (!expiresAt || !canRefresh) return;
    const delayMs = Math.max(0, expiresAt * 1000 - REFRESH_MARGIN_SECONDS * 1000 - Date.now());
    const timer = setTimeout(() => void update(), Math.min(delayMs, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt, canRefresh, error, update, onAuthPage]);

  return null;
}
