/** PostgreSQL's integer: a larger id names no record, and must not reach the database as an error. */
export const MAX_ID = 2_147_483_647;

/** An id typed into a URL or posted by a form: digits naming a possible row, or null. */
export function idOrNull(value: unknown): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}
