/**
 * What a module function answers when it will not do what was asked: the HTTP status the route
 * replies with, a message in Chinese, and the field it belongs next to, if any.
 */
export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 409 | 413 | 429;
  message: string;
  field?: string;
  /** Several reasons at once (e.g. what an application still lacks before it can be submitted). */
  reasons?: string[];
}

/** A module function's answer: what it did, or why not. */
export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

/** What a form's save answers: the saved record, or the fields to correct. */
export type SaveResult<T extends object = { id: number }> = ({ ok: true } & T) | { ok: false; fieldErrors: Record<string, string[]> };
