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
  subsidy_revoke: "撤销批准",
  subsidy_disburse: "登记拨付",
  subsidy_close: "核实毕业证书并结案",
} as const satisfies Record<`subsidy_${SubsidyStep}`, string>;

export const SUBSIDY_AUDIT = auditTrail("subsidy", "学历提升补助", {
  create: "新建",
  update: "修改",
  attach: "上传材料",
  detach: "删除材料",
  ...STEP_ACTIONS,
  notice_publish: "网上公示",
  objection_received: "收到公示异议",
  objection_resolved: "处理公示异议",
  reveal_objector: "查看异议人身份和联系方式",
});

/** What the city found of a 公示 objection; an upheld one lets it revoke the approval. */
export const OBJECTION_OUTCOME_LABELS = { pending: "待处理", dismissed: "经核查不属实，维持批准", upheld: "经核查属实" } as const;

export const SUBSIDY_POLICY_AUDIT = auditTrail("subsidy_policy", "补助政策", { create: "新建", update: "修改" });

/** Degree levels the union subsidises, lowest first. */
export const TARGET_DEGREES = ["大专", "本科", "硕士研究生", "博士研究生"] as const;

export const STUDY_MODE_LABELS = { full_time: "全日制", part_time: "非全日制（业余）", distance: "远程（网络）教育" } as const;

export const ATTACHMENT_LABELS = { admission: "录取或入学证明", receipt: "学费收据", graduation: "毕业证书" } as const;
