/** Word lists for the simulated population: display names, lib-jitsi-meet-style stats ids and room names. */

export const FIRST_NAMES = [
  "Ada", "Amir", "Ana", "Ben", "Carla", "Chen", "Dana", "Diego", "Elif", "Emil", "Eva", "Farah", "Felix", "Greta",
  "Hana", "Ivan", "Jana", "Jonas", "Kai", "Kemal", "Lara", "Leo", "Lina", "Marek", "Maya", "Nico", "Nora", "Omar",
  "Paula", "Pedro", "Rosa", "Sami", "Sara", "Theo", "Tomas", "Uma", "Vera", "Wim", "Yara", "Zoe",
] as const;

export const LAST_NAMES = [
  "Adler", "Berg", "Costa", "Dietz", "Engel", "Ferreira", "Graf", "Hartmann", "Ito", "Jansen", "Keller", "Lopez",
  "Maier", "Nowak", "Olsen", "Petrov", "Quinn", "Rossi", "Schmidt", "Torres", "Ueda", "Vogel", "Weiss", "Yilmaz",
  "Zimmer", "Novak", "Haas", "Lund", "Moreau", "Silva",
] as const;

export const ROOM_WORDS = [
  "standup", "planning", "retro", "review", "onboarding", "interview", "support", "sales", "ops", "design",
  "product", "finance", "legal", "marketing", "infra", "platform", "mobile", "web", "data", "security", "research",
  "customer", "partner", "board", "coffee", "study", "class", "release", "incident", "hiring",
] as const;

export const ROOM_SUFFIXES = [
  "call", "chat", "huddle", "session", "meeting", "daily", "weekly", "demo", "kickoff", "office-hours", "sync",
] as const;

/** The demo meetings present in every scenario (the rooms the README's demo moderators look after). */
export const DEMO_ROOMS: ReadonlyArray<{ room: string; members: readonly string[]; videoOff?: readonly string[] }> = [
  {
    room: "weekly-sync",
    members: ["Garett Lindqvist", "Mia Okafor", "Jonas Weber", "Lena Fischer", "Ravi Patel", "Sofia Marin"],
    videoOff: ["Ravi Patel"],
  },
  { room: "design-review", members: ["Priya Raman", "Tom Becker", "Yuki Tanaka", "Ana Costa"] },
  {
    room: "all-hands",
    members: [
      "Otto Brandt", "Ada Keller", "Amir Haas", "Ben Olsen", "Carla Rossi", "Chen Ito", "Dana Lund", "Diego Silva",
      "Elif Yilmaz", "Emil Nowak", "Eva Moreau", "Farah Graf", "Felix Vogel", "Greta Berg", "Hana Ueda", "Ivan Petrov",
      "Jana Maier", "Kai Zimmer", "Lara Engel", "Leo Torres", "Lina Quinn", "Marek Novak", "Nora Dietz", "Omar Jansen",
    ],
    // Most people in an all-hands keep their camera off.
    videoOff: [
      "Amir Haas", "Ben Olsen", "Chen Ito", "Dana Lund", "Elif Yilmaz", "Emil Nowak", "Farah Graf", "Greta Berg",
      "Hana Ueda", "Jana Maier", "Kai Zimmer", "Lara Engel", "Lina Quinn", "Marek Novak", "Nora Dietz", "Omar Jansen",
    ],
  },
];
