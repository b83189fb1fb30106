import type { Person } from "~db/types";

type PersonFields = Pick<
  Person,
  "name" | "sex" | "birth_date" | "ethnicity" | "education" | "political_status" | "employer" | "industry" | "position" | "title" | "skill_level"
>;

/**
 * A person's record under the person form's field names, written once for every form filled from
 * a record (the edit pages, the 汇总表 import comparing a file with what is on file) and for what
 * the history keeps of a person.
 */
export function personFormValues(p: PersonFields) {
  return {
    name: p.name,
    sex: p.sex,
    birthDate: p.birth_date,
    ethnicity: p.ethnicity,
    education: p.education,
    politicalStatus: p.political_status,
    employer: p.employer,
    industry: p.industry,
    position: p.position,
    title: p.title,
    skillLevel: p.skill_level,
  };
}
