/**
 * The demo identity provider's people. Their `jansAdminUIRole` values are what a Janssen server would release;
 * Meetscope maps them to its roles with MEETSCOPE_ADMIN_ROLES / MEETSCOPE_MODERATOR_ROLES.
 */
export interface DemoUser {
  login: string;
  name: string;
  email: string;
  jansAdminUIRole: string[];
  /** what the README and the sign-in page say this person is for */
  purpose: string;
  /** rooms the start script assigns to this person in demo mode (moderators) */
  demoRooms: string[];
}

export const DEMO_PASSWORD = "demo";

export const DEMO_USERS: readonly DemoUser[] = [
  { login: "ada", name: "Ada Admin", email: "ada@meetscope.test", jansAdminUIRole: ["api-admin"], purpose: "administrator: sees and does everything", demoRooms: [] },
  { login: "mia", name: "Mia Moderator", email: "mia@meetscope.test", jansAdminUIRole: ["moderator"], purpose: "moderator of weekly-sync and design-review", demoRooms: ["weekly-sync", "design-review"] },
  { login: "otto", name: "Otto Moderator", email: "otto@meetscope.test", jansAdminUIRole: ["moderator"], purpose: "moderator of all-hands", demoRooms: ["all-hands"] },
  { login: "noah", name: "Noah Norole", email: "noah@meetscope.test", jansAdminUIRole: [], purpose: "signed in with no Meetscope role: sees the no-access page", demoRooms: [] },
];
