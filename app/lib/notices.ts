/**
 * What a step says to the people it concerns, as data: the audiences, the categories (the SMS
 * preference is per category) and the texts. A workflow step declares its notices with these
 * (auth/workflow.ts); the notifications module gathers the declarations and sends them. Texts fill in
 * {subject} (the record: a studio's name, 补助申请…), {owner} (the craftsman), {unit} (their
 * county), {stage} (a campaign's stage), {when} (an event's start) and {reason} (the step's stated
 * reason); they never carry an ID or phone number.
 */

/**
 * The record's craftsman (for an event: the participant the step is about), everyone registered
 * for an event, the officers of its county-level unit, every county's officers, the city's officers;
 * the apprentice of a pairing (through their own account, when they have one).
 */
export type Audience = "owner" | "participants" | "unit" | "counties" | "city" | "apprentice";

/** What a message is about; the SMS preference is per category. */
export const CATEGORIES = {
  todo: "待办提醒",
  returned: "退回修改",
  rejected: "不予通过",
  approved: "审核通过",
  paid: "补助拨付",
  accredited: "授牌",
  suspended: "暂停或摘牌",
  verified: "成果认定",
  evaluation: "年度考核",
  funds: "工作室经费",
  campaign: "评选进展",
  event: "活动通知",
  mentoring: "师徒结对",
  account: "账号安全",
} as const;

export type Category = keyof typeof CATEGORIES;

/** The categories that matter to people off the platform: these may go out as SMS too. */
export const SMS_CATEGORIES: readonly Category[] = ["returned", "rejected", "approved", "paid", "accredited", "suspended"];

/** One notice: to whom, of which category, and what it says. */
export interface Notice {
  to: readonly Audience[];
  category: Category;
  text: string;
}

/** Fills a rule's text; a missing value reads as nothing rather than as "{reason}". */
export function render(text: string, values: Partial<Record<"subject" | "owner" | "unit" | "stage" | "when" | "reason", string | null>>): string {
  return text.replace(/\{(subject|owner|unit|stage|when|reason)\}/g, (_, key: keyof typeof values) => values[key] ?? "").replace(/：$/, "");
}
