import { z } from "zod";
import { wholeNumber, queryParam, whenValid } from "~/lib/validation.server";

const year = wholeNumber("年份", 2000, 2100);

export const dashboardFilterSchema = z.object({
  fromYear: year.optional().catch(undefined),
  toYear: year.optional().catch(undefined),
  unitId: queryParam.id(),
});

// A county's own target sits in a field named after the unit (`unit-<id>`), left blank for none.
const UNIT_FIELD = /^unit-(\d+)$/;
const unitTarget = z.string().trim().regex(/^\d+$/, "单位目标应为非负整数").transform(Number).pipe(z.number().max(10000, "单位目标应为非负整数"));

/** The plan's form: the city's target and window, and each county's target. */
export const planSchema = z
  .looseObject({
    target: wholeNumber("目标数", 1, 10000),
    startYear: year,
    endYear: year,
  })
  .superRefine(
    (v, ctx) => {
      if (v.endYear < v.startYear) ctx.addIssue({ code: "custom", path: ["endYear"], message: "结束年份不能早于开始年份" });
    },
    whenValid("startYear", "endYear"),
  )
  .transform((form, ctx) => {
    const unitTargets: Record<number, number> = {};
    for (const [key, value] of Object.entries(form)) {
      const unit = UNIT_FIELD.exec(key);
      if (!unit) continue;
      const parsed = unitTarget.safeParse(value);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", path: [key], message: "单位目标应为非负整数" });
        return z.NEVER;
      }
      unitTargets[Number(unit[1])] = parsed.data;
    }
    return { target: form.target, startYear: form.startYear, endYear: form.endYear, unitTargets };
  });

/** The list of every studio's mentoring outcomes: a unit (the city's choice) and a page. */
export const mentoringOutcomesQuerySchema = z.object({
  unitId: queryParam.id(),
  page: queryParam.page(),
});
