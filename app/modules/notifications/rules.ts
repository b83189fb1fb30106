/**
 * Who hears of what: one table from a history action to the people it concerns and what they are
 * told. Data, not code spread over the modules — a new step gets its line here. Texts fill in
 * {subject} (the record: a studio's name, 补助申请…), {owner} (the craftsman), {unit} (their
 * county), {stage} (a campaign's stage), {when} (an event's start) and {reason} (the step's stated
 * reason); they never carry an ID or phone number.
 */

import type { Notice } from "~/lib/notices";

export type { Audience, Category, Notice } from "~/lib/notices";
export { CATEGORIES, SMS_CATEGORIES, render } from "~/lib/notices";

export const RULES: Record<string, Record<string, readonly Notice[]>> = {
  subsidy: {
    subsidy_submit: [{ to: ["unit"], category: "todo", text: "{owner}提交了学历提升补助申请，请审核" }],
    subsidy_withdraw: [{ to: ["unit"], category: "todo", text: "{owner}撤回了学历提升补助申请，修改后会重新提交，暂不需审核" }],
    subsidy_county_return: [{ to: ["owner"], category: "returned", text: "您的补助申请被退回：{reason}" }],
    subsidy_county_approve: [
      { to: ["owner"], category: "approved", text: "您的补助申请已通过{unit}审核，等待市总工会批准" },
      { to: ["city"], category: "todo", text: "{unit}审核通过了{owner}的补助申请，请批准" },
    ],
    subsidy_county_reject: [{ to: ["owner"], category: "rejected", text: "您的补助申请未获通过：{reason}" }],
    subsidy_city_return: [
      { to: ["owner"], category: "returned", text: "您的补助申请被市总工会退回：{reason}" },
      { to: ["unit"], category: "todo", text: "市总工会退回了{owner}的补助申请：{reason}" },
    ],
    subsidy_city_approve: [
      { to: ["owner"], category: "approved", text: "您的补助申请已获市总工会批准" },
      { to: ["unit"], category: "approved", text: "{owner}的补助申请已获市总工会批准" },
    ],
    subsidy_city_reject: [
      { to: ["owner"], category: "rejected", text: "您的补助申请未获批准：{reason}" },
      { to: ["unit"], category: "rejected", text: "{owner}的补助申请未获市总工会批准：{reason}" },
    ],
    subsidy_disburse: [{ to: ["owner"], category: "paid", text: "您的学历提升补助已拨付" }],
    subsidy_close: [{ to: ["owner"], category: "paid", text: "您的补助申请已核实毕业证书并结案" }],
  },
  studio: {
    step_submit: [{ to: ["unit"], category: "todo", text: "{owner}提交了工作室申请“{subject}”，请审核" }],
    step_withdraw: [{ to: ["unit"], category: "todo", text: "{owner}撤回了工作室申请“{subject}”，修改后会重新提交，暂不需审核" }],
    step_return: [{ to: ["owner"], category: "returned", text: "您的工作室申请“{subject}”被退回修改：{reason}" }],
    step_county_approve: [
      { to: ["owner"], category: "approved", text: "您的工作室申请“{subject}”已通过{unit}审核，等待市总工会授牌" },
      { to: ["city"], category: "todo", text: "{unit}审核通过了工作室申请“{subject}”，请授牌" },
    ],
    step_county_reject: [{ to: ["owner"], category: "rejected", text: "您的工作室申请“{subject}”未获通过：{reason}" }],
    step_city_return: [
      { to: ["owner"], category: "returned", text: "您的工作室申请“{subject}”被市总工会退回修改：{reason}" },
      { to: ["unit"], category: "todo", text: "市总工会退回了工作室申请“{subject}”：{reason}" },
    ],
    step_city_reject: [{ to: ["owner", "unit"], category: "rejected", text: "工作室申请“{subject}”未获授牌：{reason}" }],
    step_accredit: [{ to: ["owner", "unit"], category: "accredited", text: "“{subject}”已由市总工会授牌" }],
    step_suspend: [{ to: ["owner", "unit"], category: "suspended", text: "“{subject}”已暂停运行：{reason}" }],
    step_resume: [{ to: ["owner", "unit"], category: "approved", text: "“{subject}”已恢复运行" }],
    step_revoke: [{ to: ["owner", "unit"], category: "suspended", text: "“{subject}”已被摘牌：{reason}" }],
    evaluation: [
      { to: ["owner"], category: "evaluation", text: "“{subject}”的年度考核结果已评定，请在工作室页面查看" },
      { to: ["unit"], category: "evaluation", text: "市总工会已完成“{subject}”的年度验收" },
    ],
    report_submit: [{ to: ["unit"], category: "todo", text: "{owner}提交了“{subject}”的年度总结，请审核" }],
    report_county_return: [{ to: ["owner"], category: "returned", text: "“{subject}”的年度总结被退回修改：{reason}" }],
    report_county_pass: [
      { to: ["owner"], category: "approved", text: "“{subject}”的年度总结已通过{unit}审核，等待市总工会验收" },
      { to: ["city"], category: "todo", text: "{unit}审核通过了“{subject}”的年度总结，请组织验收" },
    ],
    spending_pending: [{ to: ["unit"], category: "todo", text: "“{subject}”登记了一笔超过限额的经费支出，请审批" }],
    spending_approve: [{ to: ["owner"], category: "funds", text: "“{subject}”的经费支出已获批准" }],
    spending_reject: [{ to: ["owner"], category: "rejected", text: "“{subject}”的经费支出未获批准：{reason}" }],
    tranche_add: [{ to: ["owner"], category: "funds", text: "“{subject}”有一笔资助到账，请在经费台账查看" }],
    reconfirm: [{ to: ["owner", "unit"], category: "approved", text: "“{subject}”已通过重新确认" }],
    reconfirm_decline: [{ to: ["owner", "unit"], category: "suspended", text: "“{subject}”未获重新确认，将进入摘牌审查：{reason}" }],
  },
  campaign: {
    advance: [{ to: ["counties", "city"], category: "campaign", text: "{subject}已进入“{stage}”阶段" }],
    revert_advance: [{ to: ["counties", "city"], category: "campaign", text: "{subject}已撤回到“{stage}”阶段：{reason}" }],
  },
  event: {
    participant_add: [{ to: ["owner"], category: "event", text: "您已登记参加“{subject}”（{when}），请按时到场签到" }],
    participant_join: [{ to: ["unit"], category: "event", text: "有工匠报名参加“{subject}”（{when}），名单见活动页面" }],
    update: [{ to: ["participants"], category: "event", text: "“{subject}”的安排有更新：{when}，请查看时间和地点" }],
    checkin: [{ to: ["owner"], category: "event", text: "主办方已为您在“{subject}”签到" }],
    hours: [{ to: ["owner"], category: "event", text: "您参加“{subject}”的学时已登记，可在活动页面查看" }],
  },
  milestone: {
    create: [{ to: ["unit"], category: "todo", text: "{owner}登记了学徒{subject}的成果，请核实" }],
    verify: [{ to: ["owner"], category: "verified", text: "学徒{subject}的成果已核实认定" }],
    reject: [{ to: ["owner"], category: "rejected", text: "学徒{subject}的成果不予认定：{reason}" }],
  },
};
