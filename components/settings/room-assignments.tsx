"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { fieldErrorClass, inputClass, primaryButtonClass, smallButtonClass } from "../ui/form";
import { ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";


export function RoomAssignments() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const assignments = useQuery(trpc.settings.assignments.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.assignments.queryKey() });
  const assign = useMutation(trpc.settings.assignRoom.mutationOptions({ onSuccess: invalidate }));
  const unassign = useMutation(trpc.settings.unassignRoom.mutationOptions({ onSuccess: invalidate }));
  const [email, setEmail] = useState("");
  const [room, setRoom] = useState("");

  const fieldErrors = assign.error?.data?.fieldErrors as Record<string, string[] | undefined> | null | undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    assign.mutate({ email, room }, { onSuccess: () => setRoom("") });
  }

  return (
    <div className="space-y-5">
      <form onSubmit={submit} aria-label="Assign a room" className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <div>
          <label htmlFor="assign-email" className="mb-1 block text-sm font-medium">Moderator e-mail</label>
          <input id="assign-email" type="email" required className={inputClass} value={email} onChange={(e) => setEmail(e.target.value)}
            aria-invalid={Boolean(fieldErrors?.email)} aria-describedby="assign-email-error" placeholder="mia@example.org" />
          <p id="assign-email-error" className={fieldErrorClass}>{fieldErrors?.email?.join(" ")}</p>
        </div>
        <div>
          <label htmlFor="assign-room" className="mb-1 block text-sm font-medium">Room</label>
          <input id="assign-room" required className={inputClass} value={room} onChange={(e) => setRoom(e.target.value)}
            aria-invalid={Boolean(fieldErrors?.room)} aria-describedby="assign-room-error" placeholder="weekly-sync" />
          <p id="assign-room-error" className={fieldErrorClass}>{fieldErrors?.room?.join(" ")}</p>
        </div>
        <button type="submit" disabled={assign.isPending}
          className={`mb-5 ${primaryButtonClass}`}>
          {assign.isPending ? "Assigning…" : "Assign room"}
        </button>
      </form>
      {assign.error && !fieldErrors ? <ErrorNotice error={assign.error}>The room could not be assigned.</ErrorNotice> : null}
      {unassign.error ? <ErrorNotice error={unassign.error}>The assignment could not be removed.</ErrorNotice> : null}
      {assignments.isPending ? (
        <Loading label="Loading assignments…" />
      ) : assignments.isLoadingError ? (
        <ErrorNotice error={assignments.error}>Assignments could not be loaded.</ErrorNotice>
      ) : assignments.data.length === 0 ? (
        <EmptyState title="No rooms assigned">
          <p>Moderators see only the rooms assigned to their e-mail address here. Assign one above.</p>
        </EmptyState>
      ) : (
        <Table label="Room assignments" head={["Moderator", "Room", "Assigned", "By", ""]}>
          {assignments.data.map((a) => (
            <tr key={a.id}>
              <Td>{a.email}</Td>
              <Td className="font-medium">{a.room}</Td>
              <Td><Time value={a.createdAt} /></Td>
              <Td>{a.createdBy}</Td>
              <Td>
                <button type="button" onClick={() => unassign.mutate({ id: a.id })} disabled={unassign.isPending}
                  aria-label={`Remove ${a.room} from ${a.email}`}
                  className={smallButtonClass}>
                  Remove
                </button>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
