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

/** Refuses a posted form holding control characters, in a field or a file name. */
export async function assertCleanForm(request: Request): Promise<void> {
  if (request.method === "GET" || request.method === "HEAD") return;
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CHECKED_BYTES) return;
  // A large upload is read once, by the route, in its turn (lib/body-gate.server), which checks it
  // then (checkFields): reading a copy here would buffer it outside that bound.
  if (type.startsWith("multipart/form-data") && Number(request.headers.get("content-length") ?? 0) > env().largeBodyBytes) return;
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    // Unreadable bodies are the route's to answer (it knows its limits and messages).
    return;
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
  }
}
