"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { EmptyState } from "../ui/empty-state";
import { Badge, ErrorNotice, Loading } from "../ui/status";
import { Table, Td } from "../ui/table";
import { Time } from "../ui/time";

export function People() {
  const trpc = useTRPC();
  const people = useQuery(trpc.settings.people.queryOptions());
  if (people.isPending) return <Loading label="Loading people…" />;
  if (people.isLoadingError) return <ErrorNotice error={people.error}>People could not be loaded.</ErrorNotice>;
  if (people.data.length === 0) return <EmptyState title="Nobody has signed in yet"><p>People appear here after their first sign-in.</p></EmptyState>;
  return (
    <Table label="People" head={["Name", "E-mail", "Roles", "Last sign-in"]}>
      {people.data.map((p) => (
        <tr key={`${p.email}-${p.lastSeenAt.getTime()}`}>
          <Td>{p.name ?? "—"}</Td>
          <Td>{p.email ?? "—"}</Td>
          <Td>
            {p.roles.length ? (
              <span className="flex gap-1">{p.roles.map((r) => <Badge key={r} tone={r === "admin" ? "info" : "neutral"}>{r}</Badge>)}</span>
            ) : (
              <Badge tone="warn">no role</Badge>
            )}
          </Td>
          <Td><Time value={p.lastSeenAt} /></Td>
        </tr>
      ))}
    </Table>
  );
}
