import { EDUCATION_LEVELS, ETHNICITIES, POLITICAL_STATUSES, SKILL_LEVELS } from "~/modules/people/options";

/**
 * The person fields as counties actually type them into a 汇总表, read to the platform's choices.
 * Each reader takes text already folded (full-width to half-width, spaces removed) and answers the
 * choice, or null when it cannot tell; the caller then refuses the cell with the accepted list.
 */

type Reader = (text: string) => string | null;

const byName = (choices: readonly string[], extra: Record<string, string>): Reader => {
  const table = new Map<string, string>(choices.map((c) => [c, c]));
  for (const [spelling, choice] of Object.entries(extra)) table.set(spelling, choice);
  return (text) => table.get(text) ?? null;
};

/** All 56, written with or without 族 (汉, 汉族), and the old spelling 穿青人 is not one of them. */
export const readEthnicity: Reader = (text) => {
  if ((ETHNICITIES as readonly string[]).includes(text)) return text;
  const withSuffix = `${text}族`;
  return (ETHNICITIES as readonly string[]).includes(withSuffix) ? withSuffix : null;
};

export const readEducation = byName(EDUCATION_LEVELS, {
  小学: "初中及以下",
  初中: "初中及以下",
  初中及以下: "初中及以下",
  高中: "高中",
  职高: "高中",
  职业高中: "高中",
  普高: "高中",
  中等专业学校: "中专",
  技工学校: "技校",
  技工: "技校",
  中技: "技校",
  中专或技校: "中专/技校",
  "中专、技校": "中专/技校",
  大专: "大专",
  专科: "大专",
  大学专科: "大专",
  高职: "大专",
  大专及以上: "大专",
  本科: "本科",
  大学本科: "本科",
  大学: "本科",
  大本: "本科",
  研究生: "硕士研究生",
  硕士: "硕士研究生",
  硕士研究生: "硕士研究生",
  博士: "博士研究生",
  博士研究生: "博士研究生",
});

const DEMOCRATIC_PARTIES = ["民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"];

export const readPoliticalStatus: Reader = (text) => {
  const known = byName(POLITICAL_STATUSES, {
    党员: "中共党员",
    中共: "中共党员",
    共产党员: "中共党员",
    中国共产党党员: "中共党员",
    预备党员: "中共预备党员",
    团员: "共青团员",
    共青团: "共青团员",
    无党派: "无党派人士",
    群众: "群众",
    民主党派: "民主党派成员",
  })(text);
  if (known) return known;
  // 民盟盟员, 九三学社社员, 中国民主建国会会员…: a democratic party's member.
  if (
    DEMOCRATIC_PARTIES.some((p) => text.startsWith(p) || text.includes(p)) ||
    /^中国(国民党革命委员会|民主同盟|民主建国会|民主促进会|农工民主党|致公党)/.test(text)
  ) {
    return "民主党派成员";
  }
  return null;
};

export const readSkillLevel = byName(SKILL_LEVELS, {
  五级: "初级工",
  初级: "初级工",
  "五级/初级工": "初级工",
  四级: "中级工",
  中级: "中级工",
  "四级/中级工": "中级工",
  三级: "高级工",
  高级: "高级工",
  "三级/高级工": "高级工",
  "高级工/三级": "高级工",
  二级: "技师",
  "二级/技师": "技师",
  "技师/二级": "技师",
  一级: "高级技师",
  "一级/高级技师": "高级技师",
  "高级技师/一级": "高级技师",
  特级: "特级技师",
  首席: "首席技师",
  无: "未定级",
});

/** The choices a reader accepts, for the message when it cannot tell. */
export const ACCEPTED = {
  ethnicity: "56个民族名称（可不写“族”）",
  education: EDUCATION_LEVELS.filter((l) => l !== "中专/技校").join("、"),
  politicalStatus: `${POLITICAL_STATUSES.join("、")}（民主党派可写党派名称）`,
  skillLevel: `${SKILL_LEVELS.join("、")}（也可写五级至一级）`,
} as const;
