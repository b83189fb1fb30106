import { DATE_RANGES } from "~/lib/time";
import { z } from "zod";
import { isoDate, optionalParsed, queryParam, recordId, whenValid } from "~/lib/validation.server";
import { crossCheckIdNumber, parseIdNumber, parsePhone, type IdNumberFacts, type Sex } from "~/modules/people/id-number";
import { EDUCATION_LEVELS, ETHNICITIES, POLITICAL_STATUSES, SKILL_LEVELS } from "~/modules/people/options";

const requiredText = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过${max}个字`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .optional()
    .transform((v) => v ?? "");

const choice = <T extends readonly [string, ...string[]]>(label: string, values: T) => z.enum(values, { error: `请选择${label}` });

/** An HTML checkbox: present ("on") or absent. */
export const checkbox = z
  .literal("on")
  .optional()
  .transform((v) => v === "on");

const birthDate = isoDate("出生日期", DATE_RANGES.birth, "日期格式应为 年-月-日，如 1985-06-01");

export const personFields = {
  // Names are written in Han characters or Latin letters, with the middle dot of minority and
  // foreign names; anything else (markup, quotes, digits) is a typing or pasting accident.
  name: requiredText("姓名", 30).regex(/^[\p{Script=Han}A-Za-z·•.\s]+$/u, "姓名只能包含汉字、字母、空格和间隔号“·”"),
  sex: z.enum(["M", "F"], { error: "请选择性别" }),
  birthDate,
  ethnicity: choice("民族", ETHNICITIES),
  education: choice("学历", EDUCATION_LEVELS),
  politicalStatus: choice("政治面貌", POLITICAL_STATUSES),
  employer: requiredText("工作单位", 100),
  industry: requiredText("所属行业", 50),
  position: optionalText("职务", 50),
  title: optionalText("职称", 50),
  skillLevel: choice("技术等级", SKILL_LEVELS),
  orgUnitId: recordId("请选择所属县级总工会"),
  phone: optionalParsed(parsePhone, "联系电话"),
};

export function idNumberField(required: boolean) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) {
        if (required) ctx.addIssue({ code: "custom", message: "请输入身份证号码" });
        return null;
      }
      const parsed = parseIdNumber(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.value;
    });
}

type WithIdFacts = { idNumber: IdNumberFacts | null; sex: Sex; birthDate: string };

export function crossCheck(value: WithIdFacts, ctx: z.RefinementCtx) {
  if (!value.idNumber) return;
  const problem = crossCheckIdNumber(value.idNumber, value.sex, value.birthDate);
  if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["idNumber"] });
}

/** New person: the ID number is required and must agree with sex and birth date. */
export const crossCheckWhenValid = whenValid("idNumber", "sex", "birthDate");

export const createPersonSchema = z.object({ ...personFields, idNumber: idNumberField(true) }).superRefine(crossCheck, crossCheckWhenValid);

/** Editing: an empty ID number keeps the stored one (the server cross-checks against it). */
export const updatePersonSchema = z
  .object({
    ...personFields,
    idNumber: idNumberField(false),
    clearPhone: checkbox,
  })
  .superRefine(crossCheck, crossCheckWhenValid);

export type PersonUpdateInput = z.output<typeof updatePersonSchema>;

export type PersonInput = z.output<typeof createPersonSchema>;

export const personFilterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  orgUnitId: queryParam.id(),
  skillLevel: z.enum(SKILL_LEVELS).optional().catch(undefined),
  consent: z.enum(["missing"]).optional().catch(undefined),
  page: queryParam.page(),
});

/** Why full ID and phone numbers are shown or exported: required, and kept in the history. */
export const revealReason = z.string({ error: "请说明查看完整号码的事由" }).trim().min(2, "请说明查看完整号码的事由").max(200, "事由不超过200字");

export const revealSchema = z.object({
  intent: z.literal("reveal"),
  reason: revealReason,
});

export const fullExportSchema = z.object({ reason: revealReason });

/** The button that shows the unmasked numbers on a printable page, where the reason was given before. */
export const revealIntentSchema = z.object({ intent: z.literal("reveal") });
