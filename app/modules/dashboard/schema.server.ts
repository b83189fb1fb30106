import { z } from "zod";
import { wholeNumber, queryParam } from "~/lib/validation.server";

const year = wholeNumber("年份", 2000, 2100);

export const dashboardFilterSchema = z.object({
  fromYear: year.optional().catch(undefined),
  toYear: year.optional().catch(undefined),
  unitId: queryParam.id(),
});

export const planSchema = z.object({
  target: wholeNumber("目标数", 1, 10000),
  startYear: year,
  endYear: year,
});
