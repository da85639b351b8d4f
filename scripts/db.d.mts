import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
export function deploy(urlOrFactory: string | SqlMigrationAwareDriverAdapterFactory): Promise<string[]>;
/** SQL that would bring the database to schema.prisma; "" when they match. */
export function diffDatabaseToSchema(urlOrFactory: string | SqlMigrationAwareDriverAdapterFactory): Promise<string>;
export function diff(name: string): Promise<string | null>;
