import type { CampaignStatus, PerCandidate, TallyShown } from "~db/types";
import { asciiDigits } from "~/lib/format";
import { startOfDay, todayInTaizhou } from "~/lib/time";
import { reached } from "~/modules/campaigns/stages";

/** The online vote's rules, pure: windows, periods, tallies, the weighting, and the patterns of stuffing. */

export interface VoteRules {
  opens_at: Date;
  closes_at: Date;
  max_choices: number;
  per_candidate: PerCandidate;
  tally_shown: TallyShown;
  tally_hour: number;
  vote_weight: number;
}

/** Rules may change until voting starts; from then on they are the ones the public was told. */
export const rulesFrozen = (rules: Pick<VoteRules, "opens_at">, now: Date) => now >= rules.opens_at;

export type WindowState = "not_stage" | "before" | "open" | "after";

export function windowState(rules: Pick<VoteRules, "opens_at" | "closes_at">, status: CampaignStatus, now: Date): WindowState {
  if (status !== "online_vote") return "not_stage";
  return now < rules.opens_at ? "before" : now >= rules.closes_at ? "after" : "open";
}

export const WINDOW_MESSAGES: Record<Exclude<WindowState, "open">, string> = {
  not_stage: "本届评选不在网络投票阶段",
  before: "投票尚未开始",
  after: "投票已结束",
};

export type NoticeState = "not_stage" | "before" | "open" | "after";

/** Where the 社会公示 stands on a Taizhou date. */
export function noticeState(campaign: { status: CampaignStatus; notice_start: string | null; notice_end: string | null }, today: string): NoticeState {
  if (!campaign.notice_start || !campaign.notice_end || !reached(campaign.status, "public_notice")) return "not_stage";
  if (today < campaign.notice_start) return "before";
  if (today > campaign.notice_end || campaign.status !== "public_notice") return "after";
  return "open";
}

export const NOTICE_MESSAGES: Record<Exclude<NoticeState, "open">, string> = {
  not_stage: "本届评选尚未进入社会公示",
  before: "公示尚未开始",
  after: "公示期已结束",
};

/** The period a choice counts in: the whole window, or the Taizhou day. */
export const periodOf = (rules: Pick<VoteRules, "per_candidate">, now: Date) => (rules.per_candidate === "once" ? "all" : todayInTaizhou(now));

/**
 * Up to which instant counts may be shown now, or null while none may: live shows everything;
 * daily shows what was cast before today's publication hour (yesterday's, before it); after_close
 * shows nothing until the window closes. After the close every rule shows the final counts.
 */
export function tallyCutoff(rules: Pick<VoteRules, "tally_shown" | "tally_hour" | "opens_at" | "closes_at">, now: Date): Date | null {
  if (now >= rules.closes_at || rules.tally_shown === "live") return now < rules.closes_at ? now : rules.closes_at;
  if (rules.tally_shown === "after_close") return null;
  const todays = new Date(startOfDay(todayInTaizhou(now)).getTime() + rules.tally_hour * 3_600_000);
  const cutoff = now >= todays ? todays : new Date(todays.getTime() - 86_400_000);
  return cutoff > rules.opens_at ? cutoff : null;
}

/** A mainland mobile number, as people type it (spaces, dashes, +86). */
export function mainlandMobile(raw: string): string | null {
  const digits = asciiDigits(raw)
    .replace(/[\s-]/g, "")
    .replace(/^(\+?86)/, "");
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

/** An IPv4 address's /24, an IPv6 address's /48; what one household or office shares. */
export function subnetOf(address: string | null): string | null {
  if (!address) return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return address.split(".").slice(0, 3).join(".") + ".0/24";
  if (address.includes(":")) return address.split(":").slice(0, 3).join(":") + "::/48";
  return null;
}

/** The patterns the monitor looks for, with what tips each one. Policy as data. */
export const PATTERNS = {
  address: { label: "同一网络地址短时间内大量投票", min: 20, withinMs: 3_600_000 },
  subnet: { label: "同一网段（/24）短时间内大量新号码投票", min: 40, withinMs: 3_600_000 },
  device: { label: "同一设备特征大量投票", min: 15 },
  block: { label: "连号手机号码（前10位相同）集中投票", min: 3 },
  steady: { label: "同一地址以机器般匀速投票", min: 10 },
  failures: { label: "同一地址多次验证失败", min: 10 },
} as const;

export type Pattern = keyof typeof PATTERNS;

/** Votes at a machine's pace: many ballots whose gaps barely vary (coefficient of variation under 0.15). */
export function steadyRate(times: number[]): boolean {
  if (times.length < PATTERNS.steady.min) return false;
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - sorted[i]);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  if (mean <= 0) return true;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
  return sd / mean < 0.15;
}
