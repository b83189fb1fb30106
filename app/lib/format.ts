import { dateInTaizhou, TAIZHOU_TIME_ZONE } from "~/lib/time";

// One formatter for every call: building an Intl.DateTimeFormat loads its locale data each time, and a page of history
// rows (the home page's timeline) spent 6 % of the server's time on that.
const dateTimeFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TAIZHOU_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** Dates arrive as Date on the server and as ISO strings after JSON; both print in Beijing time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "";
  return dateTimeFormat.format(new Date(value));
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return dateInTaizhou(value);
}

/**
 * Full-width digits and the signs typed with them (an input method left in full-width mode gives
 * １３８… and ＋８６) as their ASCII forms, so a phone number or a code is read as the person meant
 * it. Applied where every phone and code field is parsed (parsePhone, mainlandMobile, smsCodeField).
 */
export function asciiDigits(input: string): string {
  return input.replace(/[\uFF10-\uFF19\uFF0B\uFF0D]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}
