import Link from "next/link";
import { RoomHealth } from "@/components/rooms/room-health";
import { requireViewer } from "@/components/shell/gates";
import { PageHeader } from "@/components/ui/page-header";
import { Refusal } from "@/components/ui/refusal";
import { db } from "@/server/db/client";
import { moderatedRooms, roomNameSchema } from "@/server/auth/viewer";

export default async function RoomPage({ params }: { params: Promise<{ room: string }> }) {
  const viewer = await requireViewer();
  const parsed = roomNameSchema.safeParse(decodeURIComponent((await params).room));
  const room = parsed.success ? parsed.data : null;
  const allowed = room !== null && (viewer.access === "admin" || (await moderatedRooms(db(), viewer)).includes(room));
  if (!allowed) {
    return (
      <Refusal title={room ? `You do not moderate “${room}”` : "Not a room name"}>
        {room ? "Moderators see only the rooms an administrator assigned to them. " : parsed.error?.issues[0]?.message}{" "}
        <Link href="/rooms" className="font-medium text-sky-700 underline dark:text-sky-400">Back to your rooms</Link>
      </Refusal>
    );
  }
  return (
    <>
      <PageHeader title={room} description="Health of this room's meetings." />
      <RoomHealth room={room} fleetLinks={viewer.access === "admin"} />
    </>
  );
}

export async function generateMetadata({ params }: { params: Promise<{ room: string }> }) {
  return { title: decodeURIComponent((await params).room) };
}
