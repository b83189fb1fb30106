import { sql } from "kysely";
import { TAIZHOU_TIME_ZONE } from "~/lib/time";

/** Escapes LIKE/ILIKE wildcards in user input (the default escape character is a backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const PAGE_SIZE = 20;

/** A timestamp column as Taizhou wall-clock time, for grouping by Taizhou days, months and years. */
export function inTaizhou(column: string) {
  return sql`(${sql.ref(column)} at time zone ${sql.lit(TAIZHOU_TIME_ZONE)})`;
}
