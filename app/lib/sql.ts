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
 * One page of a list and the count of all its rows, in one statement: `rows` is the filtered,
 * ordered selection; `counted` the same filters over as few joins as give the same count, asked
 * as an uncorrelated subquery beside the rows (PostgreSQL runs it once). A page past the end has
 * no row to carry the count, and is the one case that asks for it on its own.
 */
export async function paginate<DB, TB extends keyof DB, O, CDB, CTB extends keyof CDB>(
  rows: SelectQueryBuilder<DB, TB, O>,
  counted: SelectQueryBuilder<CDB, CTB, object>,
  page = 1,
  pageSize = PAGE_SIZE,
): Promise<Page<O>> {
  const count = counted.select(sql<number>`count(*)`.as("n"));
  const items = (await rows
    .select(sql<string>`(${count})`.as("page_total"))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()) as Array<O & { page_total: string | number }>;
  if (!items.length) {
    const total = page === 1 ? 0 : Number(((await count.executeTakeFirstOrThrow()) as { n: number | string }).n);
    return { rows: [], total, page, pageSize };
  }
  const total = Number(items[0].page_total);
  return { rows: items.map(({ page_total: _, ...row }) => row as O), total, page, pageSize };
}
