import { json } from "@remix-run/node";
import { env } from "~db/env";

// Control characters other than tab and line breaks mean nothing in a form, and PostgreSQL
// refuses NUL in text outright: answered here, once, instead of as a database error.
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// Our forms name their fields plainly (`idNumber`, `cap-本科`, `score-12`). A name like
// `junk[10000000]` or `a.b.c.d…` makes the form parser build a huge sparse array or a deep object,
// which a failed submission then echoes back: refused before anything parses it.
const FIELD_NAME = /^[A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff-]{0,63}$/;
// No form of ours has more than a few hundred fields (the review board: one per candidate).
const MAX_FIELDS = 1000;
// Bodies above this are read only by the route, which applies its own upload limits; the check
// must not be the thing that buffers an oversized upload.
const MAX_CHECKED_BYTES = 8 * 1024 * 1024;
// No text field of ours takes more than a few thousand characters (the 事迹材料: 3,000).
const MAX_FIELD_CHARS = 10_000;

const MB = 1024 * 1024;
/**
 * The largest body each path takes, as the pages send it: the uploads theirs (files at their
 * limits plus the form around them), every other form 256 kB — far more than any of ours holds.
 * The server (app/cli/serve.ts) refuses a larger body before reading it; the action checks again.
 */
const BODY_LIMITS: Array<[RegExp, number]> = [
  [/^\/campaigns\/[^/]+\/import\/upload$/, 21 * MB],
  // A decision document's scan (a phone's photo of it up to 20 MB is shrunk; a PDF or Word file up to 10 MB).
  [/^\/documents$/, 21 * MB],
  // Forms with photos or scans (evidence, proofs, receipts, 验收 photos, clippings, the consent
  // photo, objections): one phone photo the page could not shrink (a HEIC, up to 20 MB) or the
  // pages' shrunk photos and PDFs up to the count the form takes, and the fields around them.
  // (By id: `/people/new` and the like are plain forms.)
  [/^\/(mentorships|subsidies|people|notice|subsidy-notice)\/\d+$|^\/publicity$|^\/studios\/\d+\/(funds|years\/\d+)$/, 32 * MB],
  [/^\/campaigns\/[^/]+\/votes$|^\/nominations\/[^/]+\/story$/, 6 * MB],
  // An honour list (.xlsx, at most 5 MB) and the form around it.
  [/^\/honours\/import$/, 6 * MB],
];
export const FORM_BODY_LIMIT = 256 * 1024;

/** What an oversized body is told, with the size its page takes. */
export const tooLarge = (limit: number) => `提交的内容过大（此处最多 ${limit >= MB ? `${limit / MB} MB` : `${limit / 1024} kB`}）`;

export function bodyLimitFor(pathname: string): number {
  return BODY_LIMITS.find(([path]) => path.test(pathname))?.[1] ?? FORM_BODY_LIMIT;
}

const refuse = (status: number, error: string) => json({ error }, { status });

/** A bare POST with nothing in it (a sign-out button's fetch): an empty form, not a wrong kind of body. */
function emptyPost(request: Request): boolean {
  return !request.headers.get("content-type") && !request.headers.has("transfer-encoding") && Number(request.headers.get("content-length") ?? 0) === 0;
}

/**
 * What every action takes: a POST of a form (urlencoded, or multipart with its boundary) within
 * its path's size. Anything else — JSON, PUT/PATCH/DELETE, a body larger than the path takes — is
 * a 4xx before the route reads a byte of it.
 */
export function assertFormRequest(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  if (request.method !== "POST") throw refuse(405, "不支持该请求方法");
  if (emptyPost(request)) return;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const form = type.startsWith("application/x-www-form-urlencoded") || (type.startsWith("multipart/form-data") && /;\s*boundary=/.test(type));
  if (!form) throw refuse(415, "提交的内容格式无法识别，请通过页面上的表单提交");
  const length = Number(request.headers.get("content-length") ?? 0);
  const limit = bodyLimitFor(new URL(request.url).pathname);
  if (!(length <= limit)) throw refuse(413, tooLarge(limit));
}

// A route may check permissions twice (a second one for one intent): the form is checked once.
const checked = new WeakSet<Request>();

/** Refuses a posted form that is no form, too large, unreadable, or holding control characters or overlong fields. */
export async function assertCleanForm(request: Request): Promise<void> {
  if (request.method === "GET" || request.method === "HEAD" || checked.has(request)) return;
  assertFormRequest(request);
  checked.add(request);
  if (emptyPost(request)) return;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CHECKED_BYTES) return;
  // A large upload is read once, by the route, in its turn (lib/body-gate.server), which checks it
  // then (checkFields): reading a copy here would buffer it outside that bound.
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data") && Number(request.headers.get("content-length") ?? 0) > env().largeBodyBytes) return;
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    throw refuse(400, "提交的内容无法读取，请刷新页面后重试");
  }
  checkFields(form);
}

/** The checks of assertCleanForm on a form already read. */
export function checkFields(form: FormData): void {
  let fields = 0;
  for (const [name, value] of form) {
    if (++fields > MAX_FIELDS) throw json({ error: "提交的字段过多" }, { status: 400 });
    const text = typeof value === "string" ? value : value.name;
    if (CONTROL.test(name) || CONTROL.test(text)) {
      throw json({ error: "提交的内容含有无法识别的控制字符，请删除后重试" }, { status: 400 });
    }
    if (!FIELD_NAME.test(name)) throw json({ error: "提交的字段名无法识别" }, { status: 400 });
    if (typeof value === "string" && value.length > MAX_FIELD_CHARS) throw json({ error: "提交的内容过长，请删减后重试" }, { status: 400 });
  }
}
