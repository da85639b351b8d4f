import { Prisma } from "./generated/client";

/**
 * A JS Date as a value for Prisma's `timestamp(3)` columns (UTC without a zone) in raw SQL. Sent as ISO text
 * and converted in PostgreSQL, so the result does not depend on the session's TimeZone setting.
 */
export function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}
