import type { Outlet } from "~db/types";
import { INDUSTRY_SUGGESTIONS } from "~/modules/people/options";
import { auditTrail } from "~/lib/audit";

export const PUBLICITY_AUDIT = auditTrail("publicity", "宣传报道", { create: "登记" });

export const OUTLET_LABELS: Record<Outlet, string> = {
  tv: "台州电视台",
  newspaper: "台州日报",
  website: "市总工会网站",
  wechat: "微信公众号",
  other: "其他媒体",
};

export const SHOWCASE_INDUSTRIES = [...INDUSTRY_SUGGESTIONS];
