"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Code, EmptyState } from "../ui/empty-state";
import { fieldErrorClass, inputClass, primaryButtonClass, smallButtonClass } from "../ui/form";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

export function Sources() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sources = useQuery(trpc.settings.sources.queryOptions(undefined, { refetchInterval: 5_000 }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.sources.queryKey() });
  const add = useMutation(trpc.settings.addSource.mutationOptions({ onSuccess: invalidate }));
  const setEnabled = useMutation(trpc.settings.setSourceEnabled.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.settings.removeSource.mutationOptions({ onSuccess: invalidate }));
  const [kind, setKind] = useState<"JVB" | "JICOFO">("JVB");
  const [url, setUrl] = useState("");
  const [bridgeName, setBridgeName] = useState("");
  const fieldErrors = add.error?.data?.fieldErrors as Record<string, string[] | undefined> | null | undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ kind, url, bridgeName: kind === "JVB" && bridgeName ? bridgeName : undefined }, { onSuccess: () => { setUrl(""); setBridgeName(""); } });
  }

  return (
    <div className="space-y-5">
      <form onSubmit={submit} aria-label="Add a source" className="grid gap-3 sm:grid-cols-[9rem_1fr_10rem_auto] sm:items-end">
        <div>
          <label htmlFor="source-kind" className="mb-1 block text-sm font-medium">Kind</label>
          <select id="source-kind" className={inputClass} value={kind} onChange={(e) => setKind(e.target.value as "JVB" | "JICOFO")}>
            <option value="JVB">Videobridge</option>
            <option value="JICOFO">Jicofo</option>
          </select>
          <p className={fieldErrorClass} />
        </div>
        <div>
          <label htmlFor="source-url" className="mb-1 block text-sm font-medium">REST URL</label>
          <input id="source-url" required className={inputClass} value={url} onChange={(e) => setUrl(e.target.value)}
            placeholder={kind === "JVB" ? "http://10.0.0.5:8080" : "http://jicofo:8888"} aria-invalid={Boolean(fieldErrors?.url)} aria-describedby="source-url-error" />
          <p id="source-url-error" className={fieldErrorClass}>{fieldErrors?.url?.join(" ")}</p>
        </div>
        <div>
          <label htmlFor="source-bridge" className="mb-1 block text-sm font-medium">Jicofo name</label>
          <input id="source-bridge" className={inputClass} value={bridgeName} onChange={(e) => setBridgeName(e.target.value)} disabled={kind !== "JVB"}
            placeholder="jvb1" aria-invalid={Boolean(fieldErrors?.bridgeName)} aria-describedby="source-bridge-error" />
          <p id="source-bridge-error" className={fieldErrorClass}>{fieldErrors?.bridgeName?.join(" ")}</p>
        </div>
        <button type="submit" disabled={add.isPending} className={`mb-5 ${primaryButtonClass}`}>{add.isPending ? "Adding…" : "Add source"}</button>
      </form>
      {add.error && !fieldErrors ? <ErrorNotice error={add.error}>The source could not be added.</ErrorNotice> : null}
      {remove.error ? <ErrorNotice error={remove.error}>The source could not be removed.</ErrorNotice> : null}
      {sources.isPending ? (
        <Loading label="Loading sources…" />
      ) : sources.isLoadingError ? (
        <ErrorNotice error={sources.error}>Sources could not be loaded.</ErrorNotice>
      ) : sources.data.length === 0 ? (
        <EmptyState title="No Jitsi sources">
          <p>Add each videobridge&apos;s private REST URL (COLIBRI REST enabled) and Jicofo&apos;s REST URL above, or set <Code>JVB_URLS</Code> and <Code>JICOFO_URLS</Code>.</p>
        </EmptyState>
      ) : (
        <Table label="Jitsi sources" head={["Source", "Health", "Last success", "Recent transitions", ""]}>
          {sources.data.map((s) => {
            const down = Boolean(s.downSince);
            return (
              <tr key={s.id} className={s.enabled ? "" : "opacity-60"}>
                <Td>
                  <div className="font-mono text-xs">{s.url}</div>
                  <div className="text-xs text-zinc-500 dark:text-zinc-400">
                    {s.kind === "JVB" ? "videobridge" : "Jicofo"}{s.bridgeName ? ` ${s.bridgeName}` : ""} · {s.origin === "env" ? "from the environment" : "added in Settings"}
                  </div>
                </Td>
                <Td>
                  {!s.enabled ? <Badge>disabled</Badge> : down ? <Badge tone="bad">down</Badge> : s.lastSuccessAt ? <Badge tone="good">up</Badge> : <Badge>waiting</Badge>}
                  {down && s.lastError ? <div className="mt-1 max-w-64 text-xs text-red-700 dark:text-red-400">{s.lastError}</div> : null}
                </Td>
                <Td><Time value={s.lastSuccessAt} /></Td>
                <Td className="text-xs">
                  {s.transitions.length === 0 ? "—" : (
                    <ul className="space-y-0.5">
                      {s.transitions.map((t) => (
                        <li key={String(t.id)}><Time value={t.at} /> {t.to}{t.reason ? `: ${t.reason}` : ""}</li>
                      ))}
                    </ul>
                  )}
                </Td>
                <Td>
                  <div className="flex gap-1">
                    <button type="button" className={smallButtonClass} onClick={() => setEnabled.mutate({ id: s.id, enabled: !s.enabled })} aria-label={`${s.enabled ? "Disable" : "Enable"} ${s.url}`}>
                      {s.enabled ? "Disable" : "Enable"}
                    </button>
                    {s.origin !== "env" ? (
                      <button type="button" className={smallButtonClass} onClick={() => remove.mutate({ id: s.id })} aria-label={`Remove ${s.url}`}>Remove</button>
                    ) : null}
                  </div>
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
    </div>
  );
}
