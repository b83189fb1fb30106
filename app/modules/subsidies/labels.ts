import { auditTrail } from "~/lib/audit";
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
  ...STEP_ACTIONS,
  ...CHSI_ACTIONS,
});

export const SUBSIDY_POLICY_AUDIT = auditTrail("subsidy_policy", "补助政策", { create: "新建", update: "修改" });

/** Degree levels the union subsidises, lowest first. */
export const TARGET_DEGREES = ["大专", "本科", "硕士研究生", "博士研究生"] as const;

export const STUDY_MODE_LABELS = { full_time: "全日制", part_time: "非全日制（业余）", distance: "远程（网络）教育" } as const;

export const ATTACHMENT_LABELS = { admission: "录取或入学证明", receipt: "学费收据", graduation: "毕业证书" } as const;
