import { DATE_RANGES } from "~/lib/time";
import { z } from "zod";
import { isoDate, queryParam, recordId } from "~/lib/validation.server";

export const showcaseFilterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  unitId: queryParam.id(),
  industry: z.string().trim().max(50).optional().catch(undefined),
  page: queryParam.page(),
});

export const consentSchema = z.object({
  howObtained: z.string({ error: "请说明如何取得本人同意" }).trim().min(2, "请说明如何取得本人同意").max(200, "不能超过200字"),
  story: z.string({ error: "请填写公开的事迹简介" }).trim().min(10, "事迹简介至少10个字").max(1000, "事迹简介不能超过1000字"),
});

export const publicitySchema = z
  .object({
    outlet: z.enum(["tv", "newspaper", "website", "wechat", "other"], { error: "请选择媒体" }),
    outletName: z.string({ error: "请填写媒体名称" }).trim().min(1, "请填写媒体名称").max(50, "不能超过50字"),
    title: z.string({ error: "请填写报道标题" }).trim().min(1, "请填写报道标题").max(200, "不能超过200字"),
    publishedOn: isoDate("日期", DATE_RANGES.past),
    url: z
      .string()
      .trim()
      .max(500, "链接不能超过500个字符")
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^https?:\/\/[^\s<>"]+$/.test(v), "链接须以 http:// 或 https:// 开头"),
    personId: recordId("所选工匠不存在")
      .optional()
      .transform((v) => v ?? null),
    studioId: recordId("所选工作室不存在")
      .optional()
      .transform((v) => v ?? null),
  })
  .refine((v) => v.personId !== null || v.studioId !== null, { message: "请选择报道的工匠或工作室", path: ["personId"] });

// Why the showcase is taken down is optional; unsaid, it was the person's own wish.
export const withdrawConsentSchema = z.object({ reason: z.string().trim().default("本人撤回") });
