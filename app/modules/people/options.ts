/** Choice lists of the 推荐审批表 person fields, in the order officers expect them. */

export const ETHNICITIES = [
  "汉族",
  "蒙古族",
  "回族",
  "藏族",
  "维吾尔族",
  "苗族",
  "彝族",
  "壮族",
  "布依族",
  "朝鲜族",
  "满族",
  "侗族",
  "瑶族",
  "白族",
  "土家族",
  "哈尼族",
  "哈萨克族",
  "傣族",
  "黎族",
  "傈僳族",
  "佤族",
  "畲族",
  "高山族",
  "拉祜族",
  "水族",
  "东乡族",
  "纳西族",
  "景颇族",
  "柯尔克孜族",
  "土族",
  "达斡尔族",
  "仫佬族",
  "羌族",
  "布朗族",
  "撒拉族",
  "毛南族",
  "仡佬族",
  "锡伯族",
  "阿昌族",
  "普米族",
  "塔吉克族",
  "怒族",
  "乌孜别克族",
  "俄罗斯族",
  "鄂温克族",
  "德昂族",
  "保安族",
  "裕固族",
  "京族",
  "塔塔尔族",
  "独龙族",
  "鄂伦春族",
  "赫哲族",
  "门巴族",
  "珞巴族",
  "基诺族",
] as const;

/**
 * 中专 and 技校 are different schools and different answers; “中专/技校” stays a choice for the
 * records kept before they were told apart (nobody can say now which one each was).
 */
export const EDUCATION_LEVELS = ["初中及以下", "高中", "中专", "技校", "中专/技校", "大专", "本科", "硕士研究生", "博士研究生"] as const;

export const POLITICAL_STATUSES = ["中共党员", "中共预备党员", "共青团员", "民主党派成员", "无党派人士", "群众"] as const;

/** Ordered from lowest to highest, so the index compares levels. */
export const SKILL_LEVELS = ["未定级", "初级工", "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师"] as const;

export type SkillLevel = (typeof SKILL_LEVELS)[number];

export function skillRank(level: string): number {
  return SKILL_LEVELS.indexOf(level as SkillLevel);
}

/** Suggestions only: trades are too many to list, the notice names three focus sectors. */
export const INDUSTRY_SUGGESTIONS = [
  "汽车及零部件",
  "缝制设备",
  "泵与电机",
  "模具与塑料",
  "医药化工",
  "智能马桶与卫浴",
  "水暖阀门",
  "电力",
  "建筑施工",
  "轨道交通",
  "船舶修造",
  "食品加工",
  "传统工艺",
  "信息技术",
  "现代物流",
  "餐饮服务",
] as const;
