import { z } from "zod";
import { parseYuan } from "~/lib/money";
import {
  confirmation,
  decisionFields,
  isoDate,
  keysOf,
  optionalText,
  reasonToReject,
  recordId,
  requiredText,
  whenValid,
  queryParam,
  stepFields,
} from "~/lib/validation.server";
import { SKILL_LEVELS, skillRank } from "~/modules/people/options";
import { crossCheck, crossCheckWhenValid, idNumberField, personFields } from "~/modules/people/schema.server";
import { DATE_RANGES } from "~/lib/time";
import { MILESTONE_BATCH_MAX, studioWorkflow, STUDIO_STATUS_LABELS, type StudioStep } from "~/modules/studios/policy";
import { COMPETITION_LEVELS, INNOVATION_TYPES, FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

export const studioSchema = z.object({
  leaderPersonId: recordId("请选择领衔工匠"),
  name: requiredText("工作室名称", 50),
  hostEnterprise: requiredText("依托企业", 100),
  industry: requiredText("所属行业", 50),
  focusSector: z.enum(["advanced_manufacturing", "modern_services", "strategic_emerging", "other"], { error: "请选择重点领域" }),
  orgUnitId: recordId("请选择所属县级总工会"),
  address: requiredText("地址", 200),
  focusAreas: requiredText("主攻方向", 500),
  foundingPlan: requiredText("建设方案", 3000),
});

export type StudioInput = z.output<typeof studioSchema>;

/** 摘牌 is posted with its revocation document and taken by governance (revokeStudio), never as a plain step. */
const PLAIN_STEPS = studioWorkflow.names.filter((n): n is Exclude<StudioStep, "revoke"> => n !== "revoke") as [
  Exclude<StudioStep, "revoke">,
  ...Exclude<StudioStep, "revoke">[],
];

export const studioStepSchema = z.object({
  ...stepFields(PLAIN_STEPS),
  plaqueNumber: optionalText("牌匾编号", 40),
  accreditedOn: z
    .string()
    .optional()
    .transform((v) => v || null),
  // The 授牌决定 the studio is accredited under (a recorded decision document); required by the step.
  accreditationDocumentId: recordId("请选择授牌决定文件")
    .optional()
    .transform((v) => v ?? null),
});

export const mentorshipFields = {
  startDate: isoDate("结对日期", DATE_RANGES.plan),
  plannedEnd: isoDate("计划结束日期", DATE_RANGES.plan),
  goals: requiredText("培养目标", 1000),
};

function datesInOrder(v: { startDate: string; plannedEnd: string }, ctx: z.RefinementCtx) {
  if (v.plannedEnd <= v.startDate) ctx.addIssue({ code: "custom", path: ["plannedEnd"], message: "计划结束日期应晚于结对日期" });
}

/** A new apprentice: the person (found by ID number, or registered) and the 师徒结对协议. */
export const apprenticeSchema = z
  .object({ ...personFields, idNumber: idNumberField(true), ...mentorshipFields })
  .superRefine(crossCheck, crossCheckWhenValid)
  .superRefine(datesInOrder, whenValid("startDate", "plannedEnd"));

export type ApprenticeInput = z.output<typeof apprenticeSchema>;

export const endMentorshipSchema = z
  .object({
    outcome: z.enum(["completed", "ended_early"], { error: "请选择结束方式" }),
    endedOn: isoDate("结束日期", DATE_RANGES.past),
    reason: optionalText("原因", 500),
    /** Ending cannot be undone: the form's second button posts this. */
    confirmed: confirmation(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "ended_early" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "提前结束须说明原因" });
  });

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `不能超过${max}字`)
    .optional()
    .transform((v) => v ?? "");

export const milestoneSchema = z
  .object({
    kind: z.enum(["skill_upgrade", "competition", "backbone", "innovation"], { error: "请选择成果类型" }),
    occurredOn: isoDate("日期", DATE_RANGES.past),
    fromLevel: optional(10),
    toLevel: optional(10),
    certificateNumber: optional(60),
    competitionName: optional(100),
    competitionLevel: optional(20),
    placing: optional(40),
    confirmedBy: optional(100),
    innovationType: optional(20),
    innovationTitle: optional(100),
    patentNumber: optional(60),
    benefit: optional(30),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof v, message: string) => {
      if (!v[field]) ctx.addIssue({ code: "custom", path: [field], message });
    };
    switch (v.kind) {
      case "skill_upgrade":
        if (!SKILL_LEVELS.includes(v.fromLevel as never)) ctx.addIssue({ code: "custom", path: ["fromLevel"], message: "请选择原等级" });
        if (!SKILL_LEVELS.includes(v.toLevel as never)) ctx.addIssue({ code: "custom", path: ["toLevel"], message: "请选择新等级" });
        else if (skillRank(v.toLevel) <= skillRank(v.fromLevel)) {
          ctx.addIssue({ code: "custom", path: ["toLevel"], message: "新等级应高于原等级" });
        }
        need("certificateNumber", "请填写证书编号");
        break;
      case "competition":
        need("competitionName", "请填写竞赛名称");
        if (!Object.hasOwn(COMPETITION_LEVELS, v.competitionLevel)) ctx.addIssue({ code: "custom", path: ["competitionLevel"], message: "请选择竞赛级别" });
        need("placing", "请填写名次或奖项");
        break;
      case "backbone":
        need("confirmedBy", "请填写企业确认人及部门");
        break;
      case "innovation": {
        if (!Object.hasOwn(INNOVATION_TYPES, v.innovationType)) ctx.addIssue({ code: "custom", path: ["innovationType"], message: "请选择成果类别" });
        need("innovationTitle", "请填写成果名称");
        if (v.innovationType === "patent") need("patentNumber", "请填写专利号");
        if (v.benefit) {
          const money = parseYuan(v.benefit);
          if (!money.ok) ctx.addIssue({ code: "custom", path: ["benefit"], message: money.message });
        }
        break;
      }
    }
  });

export type MilestoneInput = z.output<typeof milestoneSchema>;

/** The fields that belong to the milestone's kind, as stored; money as fen. */
export function milestoneDetails(input: MilestoneInput): { details: Record<string, string>; benefitFen: number | null } {
  switch (input.kind) {
    case "skill_upgrade":
      return { details: { fromLevel: input.fromLevel, toLevel: input.toLevel, certificateNumber: input.certificateNumber }, benefitFen: null };
    case "competition":
      return {
        details: { competitionName: input.competitionName, competitionLevel: input.competitionLevel, placing: input.placing },
        benefitFen: null,
      };
    case "backbone":
      return { details: { confirmedBy: input.confirmedBy }, benefitFen: null };
    case "innovation": {
      const money = input.benefit ? parseYuan(input.benefit) : null;
      return {
        details: { innovationType: input.innovationType, innovationTitle: input.innovationTitle, patentNumber: input.patentNumber },
        benefitFen: money?.ok ? money.fen : null,
      };
    }
  }
}

/** 批量核实: the milestones ticked, each an id (a forged one refuses the batch), at most as many as the list shows. */
export const milestoneBatchSchema = z.object({
  milestoneId: z
    .array(recordId("表单有误，请刷新页面后重试"), { error: "请至少勾选一项成果" })
    .min(1, "请至少勾选一项成果")
    .max(MILESTONE_BATCH_MAX, "表单有误，请刷新页面后重试"),
});

export const milestoneReviewSchema = z
  .object({ milestoneId: recordId("成果记录不存在"), ...decisionFields("verified", "请选择核实结论") })
  .superRefine(reasonToReject("不予认定须说明理由"));

export const studioFilterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  status: queryParam.choice(keysOf(STUDIO_STATUS_LABELS)),
  unitId: queryParam.id(),
  focusSector: queryParam.choice(keysOf(FOCUS_SECTOR_LABELS)),
  page: queryParam.page(),
});
