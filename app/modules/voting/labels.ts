import { auditTrail } from "~/lib/audit";
import type { PerCandidate, TallyShown } from "~db/types";

/** The online vote's history is kept per campaign (the id is the campaign's). */
export const VOTE_AUDIT = auditTrail("online_vote", "网络投票", {
  set_rules: "设定投票规则",
  invalidate: "作废可疑选票",
  transfer_counts: "有效票数计入评审",
  purge_voters: "删除投票人个人信息",
});

export const PER_CANDIDATE_LABELS: Record<PerCandidate, string> = {
  once: "投票期内每位候选人限投一次",
  daily: "每天每位候选人限投一次",
};

export const TALLY_SHOWN_LABELS: Record<TallyShown, string> = {
  live: "实时公布票数",
  daily: "每天定时公布票数",
  after_close: "投票结束后公布票数",
};

/** How an objector knows the person they object to. */
export const RELATIONS = ["同事", "同行业从业者", "所在单位", "所在社区", "其他"] as const;
