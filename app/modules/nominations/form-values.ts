import type { NominationTable } from "~db/types";
import type { Selectable } from "kysely";

type NominationFields = Pick<
  Selectable<NominationTable>,
  "frontline_years" | "in_skill_post" | "teacher_or_researcher" | "conditions" | "honors" | "achievements" | "deeds_summary" | "story"
>;

/**
 * A nomination's record as the nomination form's fields (beside the person's), written once for
 * the edit page and the 汇总表 import comparing a file with what is on file.
 */
export function nominationFormValues(n: NominationFields) {
  return {
    frontlineYears: n.frontline_years === null ? "" : String(n.frontline_years),
    inSkillPost: n.in_skill_post === null ? "" : n.in_skill_post ? "yes" : "no",
    teacherOrResearcher: n.teacher_or_researcher ? "on" : "",
    conditions: n.conditions.map(String),
    honors: n.honors,
    achievements: n.achievements,
    deedsSummary: n.deeds_summary,
    story: n.story,
  };
}
