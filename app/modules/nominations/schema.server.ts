import { DATE_RANGES } from "~/lib/time";
import { z } from "zod";
import { isoDate, queryParam, recordId, wholeNumber } from "~/lib/validation.server";
import { checkbox, crossCheck, crossCheckWhenValid, idNumberField, personFields } from "~/modules/people/schema.server";
import { DEEDS_SUMMARY_MAX, STORY_MAX } from "~/modules/nominations/labels";

const text = (label: string, max: number, required = false) => {
  const base = z.string().trim().max(max, `${label}不能超过${max}字`);
  return required
    ? z
        .string({ error: `请填写${label}` })
        .trim()
        .min(1, `请填写${label}`)
        .max(max, `${label}不能超过${max}字`)
    : base.optional().transform((v) => v ?? "");
};

export const nominationFields = {
  channel: z.enum(["union", "social_group", "self"], { error: "请选择推荐方式" }),
  nominatingUnitId: recordId("请选择推荐单位"),
  honors: text("已获荣誉", 1000),
  achievements: text("主要技术成果", 1000, true),
  deedsSummary: text("主要事迹", DEEDS_SUMMARY_MAX, true),
  story: text("事迹材料", STORY_MAX),
  frontlineYears: wholeNumber("一线技能工作年限", 0, 60),
  inSkillPost: z.enum(["yes", "no"], { error: "请选择是否仍在技能岗位" }).transform((v) => v === "yes"),
  teacherOrResearcher: checkbox,
  conditions: z
    .preprocess(
      (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.enum(["1", "2", "3", "4", "5"], { error: "条件编号无效" }).transform(Number)),
    )
    .transform((list) => [...new Set(list)].sort()),
  /** The 汇总表's 备注: only an import gives it, so the web form's save leaves it as it is. */
  remarks: z.string().trim().max(1000, "备注不能超过1000字").optional(),
};

export const createNominationSchema = z
  .object({ ...personFields, idNumber: idNumberField(true), ...nominationFields })
  .superRefine(crossCheck, crossCheckWhenValid);

export const updateNominationSchema = z
  .object({ ...personFields, idNumber: idNumberField(false), clearPhone: checkbox, ...nominationFields })
  .superRefine(crossCheck, crossCheckWhenValid);

/**
 * A row of a county's 汇总表: the person must be whole, the nomination's own parts may be missing
 * (the nomination is then 待补全 until someone completes it).
 */
export const importNominationSchema = z
  .object({
    ...personFields,
    idNumber: idNumberField(false),
    clearPhone: checkbox,
    ...nominationFields,
    achievements: text("主要技术成果", 1000),
    deedsSummary: text("主要事迹", DEEDS_SUMMARY_MAX),
    frontlineYears: z.preprocess((v) => (v === "" ? undefined : v), wholeNumber("一线技能工作年限", 0, 60).optional()).transform((v) => v ?? null),
    inSkillPost: z
      .enum(["yes", "no"], { error: "请选择是否仍在技能岗位" })
      .optional()
      .transform((v) => (v === undefined ? null : v === "yes")),
  })
  .superRefine(crossCheck, crossCheckWhenValid);

/** What a nomination is saved from: the web form's, or a 汇总表 row's with parts still missing. */
export type NominationInput = z.output<typeof importNominationSchema>;

export const opinionSchema = z.object({
  kind: z.enum(["employer", "county", "expert", "city"], { error: "请选择意见类别" }),
  text: z.string({ error: "请填写意见" }).trim().min(1, "请填写意见").max(500, "意见不能超过500字"),
  signer: z.string({ error: "请填写签署人" }).trim().min(1, "请填写签署人").max(40, "签署人不能超过40字"),
  signedOn: isoDate("签署日期", DATE_RANGES.past),
});

/** The preview of an imported sheet: a page of its rows, or only those that will not import. */
export const importPreviewQuerySchema = z.object({
  page: queryParam.page(),
  show: z.enum(["problems"]).optional().catch(undefined),
});

/** The 汇总表's upload: the city may file it under a unit (a county's own is always its own; a stale choice is ignored). */
export const importUploadSchema = z.object({ unitId: queryParam.id() });

/**
 * The preview's confirming press: the officer's choices of the file's value where it differs from
 * the record, each "line:field"; anything else is not a choice the page offered and is left out.
 */
export const commitImportSchema = z
  .object({ take: z.array(z.string()).optional() })
  .transform(({ take }) => ({ take: (take ?? []).filter((v) => /^\d{1,6}:[a-zA-Z_]{1,40}$/.test(v)).slice(0, 10_000) }));

export const nominationFilterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  unitId: queryParam.id(),
  stage: z.enum(["all", "eligible", "ineligible", "passed", "failed", "candidate", "named"]).optional().catch(undefined),
  page: queryParam.page(),
});
