import { sql, type SelectQueryBuilder } from "kysely";
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

/** One page of a list, as every list page receives it. */
export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  /** Said once above the list, e.g. why a search was not run. */
  notice?: string;
}

/**
 * One page of a list and the count of all its rows, asked side by side: `rows` is the filtered,
 * ordered selection; `counted` the same filters over as few joins as give the same count.
 */
export async function paginate<DB, TB extends keyof DB, O, CDB, CTB extends keyof CDB>(
  rows: SelectQueryBuilder<DB, TB, O>,
  counted: SelectQueryBuilder<CDB, CTB, object>,
  page = 1,
  pageSize = PAGE_SIZE,
): Promise<Page<O>> {
  const [items, count] = await Promise.all([
    rows
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    counted.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow() as Promise<{ n: number | string }>,
  ]);
  return { rows: items, total: Number(count.n), page, pageSize };
}
