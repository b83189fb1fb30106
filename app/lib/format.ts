import { dateInTaizhou, TAIZHOU_TIME_ZONE } from "~/lib/time";

/** Dates arrive as Date on the server and as ISO strings after JSON; both print in Beijing time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "";
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: TAIZHOU_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(value));
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return dateInTaizhou(value);
}
