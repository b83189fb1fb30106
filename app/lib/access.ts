/** What a viewer gets of one record: the record, or why not (unknown id 404, someone else's 403). */
export type Access<T> = { status: 200; value: T } | { status: 403 | 404 };

export function accessTo<T>(record: T | undefined, allowed: (record: T) => boolean): Access<T> {
  if (!record) return { status: 404 };
  return allowed(record) ? { status: 200, value: record } : { status: 403 };
}
