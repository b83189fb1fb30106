import { z } from "zod";
import { parseYuan } from "~/lib/money";
import { whenValid } from "~/lib/validation";
import { EDUCATION_LEVELS } from "~/modules/people/options";
import { isoDate } from "~/lib/validation";

/** Degree levels the union subsidises, lowest first. */
export const TARGET_DEGREES = ["大专", "本科", "硕士研究生", "博士研究生"] as const;

export const STUDY_MODE_LABELS = { full_time: "全日制", part_time: "非全日制（业余）", distance: "远程（网络）教育" } as const;

export const ATTACHMENT_LABELS = { admission: "录取或入学证明", receipt: "学费收据", graduation: "毕业证书" } as const;

/** A money field: 12,345.6 / 12345.60 / ¥12345 → fen, with the reason when it is not money. */
export const yuan = (label: string) =>
  z.string({ error: `请填写${label}` }).transform((v, ctx) => {
    const parsed = parseYuan(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    if (parsed.fen === 0) {
      ctx.addIssue({ code: "custom", message: `${label}应大于0` });
      return z.NEVER;
    }
    return parsed.fen;
  });

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过${max}字`);

export const applicationSchema = z
  .object({
    currentEducation: z.enum(EDUCATION_LEVELS, { error: "请选择现有学历" }),
    targetDegree: z.enum(TARGET_DEGREES, { error: "请选择报读学历层次" }),
    institution: text("就读院校", 100),
    programme: text("专业", 100),
    studyMode: z.enum(["full_time", "part_time", "distance"], { error: "请选择学习形式" }),
    enrolledOn: isoDate("入学日期"),
    expectedGraduation: isoDate("预计毕业日期"),
    tuition: yuan("学费总额"),
    requested: yuan("申请补助金额"),
  })
  .superRefine(
    (v, ctx) => {
      if (v.expectedGraduation <= v.enrolledOn) {
        ctx.addIssue({ code: "custom", path: ["expectedGraduation"], message: "预计毕业日期应晚于入学日期" });
      }
    },
    whenValid("enrolledOn", "expectedGraduation"),
  )
  .superRefine(
    (v, ctx) => {
      if (v.requested > v.tuition) ctx.addIssue({ code: "custom", path: ["requested"], message: "申请金额不能超过学费总额" });
    },
    whenValid("tuition", "requested"),
  )
  .superRefine(
    (v, ctx) => {
      if (EDUCATION_LEVELS.indexOf(v.currentEducation) >= EDUCATION_LEVELS.indexOf(v.targetDegree as never)) {
        ctx.addIssue({ code: "custom", path: ["targetDegree"], message: "报读学历应高于现有学历" });
      }
    },
    whenValid("currentEducation", "targetDegree"),
  );

export type ApplicationInput = z.output<typeof applicationSchema>;

export const policySchema = z.object({
  budget: yuan("年度预算"),
  sharePercent: z.coerce.number({ error: "请填写补助比例" }).int("补助比例应为整数").min(1, "补助比例应在1%到100%之间").max(100, "补助比例应在1%到100%之间"),
  holdbackPercent: z.coerce.number({ error: "请填写预留比例" }).int("预留比例应为整数").min(0, "预留比例应在0%到100%之间").max(100, "预留比例应在0%到100%之间"),
  yearsAfterAward: z.coerce.number({ error: "请填写年限" }).int("年限应为整数").min(0, "年限不能为负").max(50, "年限过大"),
  open: z
    .enum(["on"])
    .optional()
    .transform((v) => v === "on"),
});

export const stepSchema = z.object({
  step: z.enum(["submit", "county_return", "county_approve", "county_reject", "city_return", "city_approve", "city_reject", "disburse", "close"]),
  expected: z.string(),
  reason: z
    .string()
    .trim()
    .max(500, "理由不能超过500字")
    .optional()
    .transform((v) => v || null),
  amount: z.string().optional(),
  date: z.string().optional(),
  voucher: z
    .string()
    .trim()
    .max(60, "凭证号不能超过60字")
    .optional()
    .transform((v) => v || null),
});
