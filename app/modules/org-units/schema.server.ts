import { z } from "zod";

export const socialGroupSchema = z.object({
  name: z.string({ error: "请填写单位全称" }).trim().min(2, "单位全称至少2个字").max(60, "单位全称不能超过60个字"),
  shortName: z.string({ error: "请填写简称" }).trim().min(1, "请填写简称").max(20, "简称不能超过20个字"),
});
