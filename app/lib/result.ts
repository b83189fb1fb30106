/**
 * What a module function answers when it will not do what was asked: the HTTP status the route
 * replies with, a message in Chinese, the field it belongs next to (or the errors of several
 * fields of a form), and the reasons when there are several at once.
 */
export interface Refusal {
  ok: false;
  status: 400 | 401 | 403 | 404 | 409 | 413 | 429;
  message: string;
  field?: string;
  /** A form's errors by field (a save that finds several fields wrong). */
  fieldErrors?: Record<string, string[]>;
  /** Several reasons at once (e.g. what an application still lacks before it can be submitted). */
  reasons?: string[];
}

/** A module function's answer: what it did, or why not. The one result type of the modules. */
export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

/** A form's save: the saved record, or the fields to correct. */
export type SaveResult<T extends object = { id: number }> = Result<T>;

/** A refusal, 400 unless said otherwise. */
export function refuse(message: string, options: Omit<Refusal, "ok" | "message" | "status"> & { status?: Refusal["status"] } = {}): Refusal {
  return { ok: false, status: 400, message, ...options };
}

/** A save refused for what its fields hold: each error stands by its field. */
export function fieldsRefused(fieldErrors: Record<string, string[]>): Refusal {
  const [field, messages] = Object.entries(fieldErrors)[0] ?? ["", ["请检查标出的项目"]];
  return { ok: false, status: 400, message: messages[0] ?? "请检查标出的项目", field: field || undefined, fieldErrors };
}
