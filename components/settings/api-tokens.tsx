"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Code, EmptyState } from "../ui/empty-state";
import { fieldErrorClass, inputClass, primaryButtonClass, smallButtonClass } from "../ui/form";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.settings.tokens.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.tokens.queryKey() });
  const create = useMutation(trpc.settings.createToken.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.settings.revokeToken.mutationOptions({ onSuccess: invalidate }));
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"ingest" | "read">("ingest");
  const [copied, setCopied] = useState(false);
  const fieldErrors = create.error?.data?.fieldErrors as Record<string, string[] | undefined> | null | undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    setCopied(false);
    create.mutate({ name, scope }, { onSuccess: () => setName("") });
  }

  return (
    <div className="space-y-5">
      <form onSubmit={submit} aria-label="Create an API token" className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end">
        <div>
          <label htmlFor="token-name" className="mb-1 block text-sm font-medium">Name</label>
          <input id="token-name" required className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="meet.example.org clients"
            aria-invalid={Boolean(fieldErrors?.name)} aria-describedby="token-name-error" />
          <p id="token-name-error" className={fieldErrorClass}>{fieldErrors?.name?.join(" ")}</p>
        </div>
        <div>
          <label htmlFor="token-scope" className="mb-1 block text-sm font-medium">Scope</label>
          <select id="token-scope" className={inputClass} value={scope} onChange={(e) => setScope(e.target.value as "ingest" | "read")}>
            <option value="ingest">ingest (post samples)</option>
            <option value="read">read (REST API)</option>
          </select>
          <p className={fieldErrorClass} />
        </div>
        <button type="submit" disabled={create.isPending} className={`mb-5 ${primaryButtonClass}`}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {create.data ? (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-900 dark:bg-emerald-950">
          <p className="font-medium">Token &ldquo;{create.data.name}&rdquo; created. Copy it now: it is not shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <output aria-label="New token" className="rounded bg-white px-2 py-1 font-mono break-all dark:bg-zinc-900">{create.data.secret}</output>
            <button type="button" className={smallButtonClass} onClick={() => void navigator.clipboard?.writeText(create.data.secret).then(() => setCopied(true))}>
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
          <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">Send it as <Code>Authorization: Bearer …</Code>. The API is described at <Code>/api/v1/openapi.json</Code>.</p>
        </div>
      ) : null}
      {create.error && !fieldErrors ? <ErrorNotice error={create.error}>The token could not be created.</ErrorNotice> : null}
      {revoke.error ? <ErrorNotice error={revoke.error}>The token could not be revoked.</ErrorNotice> : null}
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isLoadingError ? (
        <ErrorNotice error={tokens.error}>Tokens could not be loaded.</ErrorNotice>
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens">
          <p>Meeting clients need an ingest token to post their figures; tools need a read token. Create one above, or with <Code>npm run token -- create --name NAME --scope ingest</Code>.</p>
        </EmptyState>
      ) : (
        <Table label="API tokens" head={["Name", "Scope", "Token", "Created", "Last used", ""]}>
          {tokens.data.map((t) => (
            <tr key={t.id} className={t.revokedAt ? "opacity-60" : ""}>
              <Td className="font-medium">{t.name}</Td>
              <Td><Badge tone={t.scope === "ingest" ? "info" : "neutral"}>{t.scope}</Badge></Td>
              <Td className="font-mono text-xs">{t.prefix}…</Td>
              <Td><Time value={t.createdAt} /><div className="text-xs text-zinc-500">{t.createdBy}</div></Td>
              <Td>{t.lastUsedAt ? <Time value={t.lastUsedAt} /> : "never"}</Td>
              <Td>
                {t.revokedAt ? (
                  <Badge tone="bad">revoked</Badge>
                ) : (
                  <button type="button" className={smallButtonClass} disabled={revoke.isPending} onClick={() => revoke.mutate({ id: t.id })} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
