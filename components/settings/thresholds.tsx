"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Thresholds } from "@/server/analysis/thresholds";
import { useTRPC } from "../trpc";
import { fieldErrorClass, inputClass, primaryButtonClass, smallButtonClass } from "../ui/form";
import { ErrorNotice, Loading } from "../ui/status";
import { Time } from "../ui/time";

const SECTIONS: Record<keyof Thresholds, string> = {
  cqdAudio: "Teams CQD audio: Poor when",
  cqdVideo: "Teams CQD video: Poor when",
  rtaGood: "Teams Real-Time Analytics: good when",
  mos: "Audio MOS (E-model)",
  bridge: "Bridge attribution",
  cpu: "CPU attribution",
  score: "Overall score",
};

/** "poorRttMsAbove" → "poor rtt ms above": the field's own words, so the label matches the stored setting */
const label = (field: string) => field.replace(/([A-Z])/g, " $1").toLowerCase();

type Draft = Record<string, Record<string, string>>;

export function ThresholdsForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const thresholds = useQuery(trpc.settings.thresholds.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.thresholds.queryKey() });
  const save = useMutation(trpc.settings.setThresholds.mutationOptions({ onSuccess: invalidate }));
  const reset = useMutation(trpc.settings.resetThresholds.mutationOptions({ onSuccess: () => { setDraft(null); void invalidate(); } }));
  const [draft, setDraft] = useState<Draft | null>(null);

  if (thresholds.isPending) return <Loading label="Loading thresholds…" />;
  if (thresholds.isLoadingError) return <ErrorNotice error={thresholds.error}>Thresholds could not be loaded.</ErrorNotice>;
  const { current, defaults } = thresholds.data;
  const values: Draft =
    draft ?? Object.fromEntries(Object.entries(current).map(([section, fields]) => [section, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))]));
  const issues = new Map((save.error?.data?.issues ?? []).map((i: { path: string; message: string }) => [i.path, i.message]));

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = Object.fromEntries(Object.entries(values).map(([section, fields]) => [section, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.trim() === "" ? undefined : Number(v)]))]));
    save.mutate(input as never);
  }

  return (
    <form onSubmit={submit} aria-label="Quality thresholds" className="space-y-5">
      {(Object.keys(SECTIONS) as Array<keyof Thresholds>).map((section) => (
        <fieldset key={section} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <legend className="px-1 text-sm font-semibold">{SECTIONS[section]}</legend>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {Object.entries(defaults[section]).map(([field, defaultValue]) => {
              const id = `threshold-${section}-${field}`;
              const error = issues.get(`${section}.${field}`);
              return (
                <div key={field}>
                  <label htmlFor={id} className="mb-1 block text-xs font-medium">{label(field)}</label>
                  <input id={id} inputMode="decimal" className={inputClass} value={values[section]?.[field] ?? ""} aria-invalid={Boolean(error)} aria-describedby={`${id}-hint`}
                    onChange={(e) => setDraft({ ...values, [section]: { ...values[section], [field]: e.target.value } })} />
                  <p id={`${id}-hint`} className={error ? fieldErrorClass : "mt-1 text-xs text-zinc-500"}>{error ?? `published default ${String(defaultValue)}`}</p>
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      {save.error && issues.size === 0 ? <ErrorNotice error={save.error}>The thresholds could not be saved.</ErrorNotice> : null}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={save.isPending} className={primaryButtonClass}>{save.isPending ? "Saving…" : "Save thresholds"}</button>
        <button type="button" disabled={reset.isPending} className={smallButtonClass} onClick={() => reset.mutate()}>Reset to the published defaults</button>
        <span role="status" className="text-xs text-zinc-500">
          {save.isSuccess ? "Saved: the next reports use them. " : ""}
          {thresholds.data.updatedAt ? <>Last changed <Time value={thresholds.data.updatedAt} /> by {thresholds.data.updatedBy}</> : "Using the published defaults."}
        </span>
      </div>
    </form>
  );
}
