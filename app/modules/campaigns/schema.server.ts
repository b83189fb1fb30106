import { DATE_RANGES } from "~/lib/time";
import { z } from "zod";
import { confirmation, isoDate, wholeNumber as int, whenValid } from "~/lib/validation.server";
import { CAMPAIGN_STAGES } from "~/modules/campaigns/stages";
import type { CampaignStatus } from "~db/types";

export const campaignSchema = z
  .object({
    number: int("届次", 1, 99),
    year: int("年度", 2000, 2100),
    title: z.string({ error: "请填写活动名称" }).trim().min(2, "请填写活动名称").max(100, "活动名称不能超过100个字"),
    nominationDeadline: isoDate("推荐截止日期", DATE_RANGES.deadline),
    quotaPerUnit: int("每单位推荐名额", 1, 50),
    titleCount: int("命名人数", 1, 200),
  })
  .superRefine(
    (v, ctx) => {
      // A campaign of year N takes nominations in year N (the notice's 31 March), or from the end of N−1.
      const year = Number(v.nominationDeadline.slice(0, 4));
      if (year !== v.year && year !== v.year - 1) {
        ctx.addIssue({ code: "custom", path: ["nominationDeadline"], message: `推荐截止日期应在${v.year - 1}年或${v.year}年内（本届年度为${v.year}年）` });
      }
    },
    whenValid("year", "nominationDeadline"),
  );

export type CampaignInput = z.output<typeof campaignSchema>;

export const noticePeriodSchema = z
  .object({ noticeStart: isoDate("公示开始日期", DATE_RANGES.record), noticeEnd: isoDate("公示结束日期", DATE_RANGES.record) })
  .superRefine(
    (v, ctx) => {
      if (v.noticeEnd < v.noticeStart) {
        ctx.addIssue({ code: "custom", path: ["noticeEnd"], message: "公示结束日期不能早于开始日期" });
      }
    },
    whenValid("noticeStart", "noticeEnd"),
  );

/** The stage the page showed: a change is made only from the stage the officer saw (another tab may have moved it). */
const expected = z.enum(CAMPAIGN_STAGES as [CampaignStatus, ...CampaignStatus[]], { error: "阶段无效，请刷新页面" });

export const revertSchema = z.object({ expected });

export const advanceSchema = z.object({
  expected,
  comment: z.string().trim().max(500, "说明不能超过500字").optional(),
  /** Posted by the confirming button: advancing cannot be taken back. */
  confirmed: confirmation(),
});
