import { auditTrail } from "~/lib/audit";
import type { OtherScheme } from "~db/types";
import type { SubsidyStep } from "~/modules/subsidies/policy";

const STEP_ACTIONS = {
  subsidy_submit: "提交补助申请",
  subsidy_withdraw: "申请人撤回",
  subsidy_county_return: "县级退回修改",
  subsidy_county_approve: "县级审核通过",
  subsidy_county_reject: "县级不予通过",
  subsidy_city_return: "市级退回修改",
  subsidy_city_approve: "市级批准",
  subsidy_city_reject: "市级不予批准",
  subsidy_revoke: "撤销批准",
  subsidy_disburse: "登记拨付",
  subsidy_close: "核实毕业证书并结案",
} as const satisfies Record<`subsidy_${SubsidyStep}`, string>;

/** 学信网 verification (chsi.ts): a code entered — by who must check it next — and what the officer saw. */
const CHSI_ACTIONS = {
  chsi_report: "填写学信网验证码",
  chsi_report_county: "填写学信网验证码（待县级核验）",
  chsi_report_city: "填写学信网验证码（待市级核验）",
  chsi_check: "记录学信网核验结果",
} as const;

export const SUBSIDY_AUDIT = auditTrail("subsidy", "学历提升补助", {
  create: "新建",
  update: "修改",
  attach: "上传材料",
  detach: "删除材料",
  claim: "申报其他项目补助",
  unclaim: "删除其他项目补助申报",
  ...STEP_ACTIONS,
  ...CHSI_ACTIONS,
  place_given: "候补递补获得名额",
  payee: "登记收款账户",
  payee_change: "批准后变更收款账户",
  reveal_payee: "查看完整收款账号",
  notice_publish: "网上公示",
  objection_received: "收到公示异议",
  objection_resolved: "处理公示异议",
  reveal_objector: "查看异议人身份和联系方式",
});

/** A payment batch's history: made, its file (with full account numbers) taken out, paid, or called off. */
export const SUBSIDY_PAYMENT_AUDIT = auditTrail("subsidy_payment_batch", "补助拨付批次", {
  create: "生成拨付批次",
  download: "下载代发文件（含完整账号）",
  paid: "登记批次已拨付",
  cancel: "撤销拨付批次",
});

/** A union member card (工会会员服务卡) is a bank's co-branded debit card: paid like any bank card. */
export const PAYEE_KIND_LABELS = { bank_card: "银行卡", union_card: "工会会员卡" } as const;

export const PAYMENT_STAGE_LABELS = { first: "首次拨付", final: "尾款（预留部分）" } as const;

/** What the city found of a 公示 objection; an upheld one lets it revoke the approval. */
export const OBJECTION_OUTCOME_LABELS = { pending: "待处理", dismissed: "经核查不属实，维持批准", upheld: "经核查属实" } as const;

export const SUBSIDY_POLICY_AUDIT = auditTrail("subsidy_policy", "补助政策", { create: "新建", update: "修改" });

/** Degree levels the union subsidises, lowest first. */
export const TARGET_DEGREES = ["大专", "本科", "硕士研究生", "博士研究生"] as const;

export const STUDY_MODE_LABELS = { full_time: "全日制", part_time: "非全日制（业余）", distance: "远程（网络）教育" } as const;

export const ATTACHMENT_LABELS = { admission: "录取或入学证明", receipt: "学费收据", graduation: "毕业证书" } as const;

/** Where an application stands when the year limits places (places.server's placeRank). */
export function placeLabel(place: "placed" | "waiting" | null, rank: number | null): string | null {
  if (place === null || rank === null) return null;
  return place === "placed" ? `名额内第${rank}位` : `候补第${rank}位`;
}
/** Other schemes that pay for the same studies (issue 34): the national union's, the province's 双提升, the employer's. */
export const OTHER_SCHEME_LABELS = {
  acftu: "全国总工会（求学圆梦行动等）",
  provincial: "省总工会（双提升等）",
  employer: "工作单位",
  other: "其他",
} as const satisfies Record<OtherScheme, string>;

export const SCHEME_LIST_AUDIT = auditTrail("subsidy_scheme_list", "其他项目补助名单", { import: "导入", delete: "删除" });
