import { RoomList } from "@/components/rooms/room-list";
import { requireViewer } from "@/components/shell/gates";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Rooms" };

export default async function RoomsPage() {
  const viewer = await requireViewer();
  const moderator = viewer.access === "moderator";
  return (
    <>
      <PageHeader title={moderator ? "My rooms" : "Rooms"} description={moderator ? "The rooms you moderate and how their meetings are going." : "Every room seen or assigned to a moderator."} />
      <RoomList moderator={moderator} />
    </>
  );
}
