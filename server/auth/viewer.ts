import { getServerSession } from "next-auth";
import { z } from "zod";
import type { Db } from "../db/client";
import { authOptions } from "./options";
import { accessOf, type Access, type Role } from "./roles";

/** The signed-in person as the server sees them on one request. */
export interface Viewer {
  subject: string;
  email: string | null;
  name: string | null;
  roles: Role[];
  access: Access;
}

export function viewerFrom(subject: string, email: string | null, name: string | null, roles: Role[]): Viewer {
  return { subject, email: email?.toLowerCase() ?? null, name, roles, access: accessOf(roles) };
}

/** The viewer of the current request (server components, route handlers, tRPC), or null when signed out. */
export async function currentViewer(): Promise<Viewer | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user.sub || session.error) return null;
  return viewerFrom(session.user.sub, session.user.email, session.user.name, session.roles);
}

/** Jitsi room names are case-insensitive (jitsi-meet lower-cases them); no spaces or slashes. */
export const roomNameSchema = z
  .string()
  .trim()
  .min(1, "room name is empty")
  .max(200, "room name is longer than 200 characters")
  .regex(/^[^\s/?#]+$/, "room name must not contain spaces, '/', '?' or '#'")
  .transform((s) => s.toLowerCase());

/** Rooms this person moderates: the assignments an admin made in Settings for their e-mail address. */
export async function moderatedRooms(db: Db, viewer: Viewer): Promise<string[]> {
  if (!viewer.email) return [];
  const rows = await db.roomAssignment.findMany({ where: { email: viewer.email }, select: { room: true }, orderBy: { room: "asc" } });
  return rows.map((r) => r.room);
}

/** What part of the fleet a viewer may read: everything (admin) or some rooms (moderator). */
export type Scope = { kind: "all" } | { kind: "rooms"; rooms: string[] };
