import type { Person } from "~db/types";
import { SEX_LABELS } from "~/modules/people/id-number";

export type PersonFactsRow = Pick<
  Person,
  "sex" | "birth_date" | "ethnicity" | "education" | "political_status" | "employer" | "industry" | "position" | "title" | "skill_level"
>;

/** The 推荐审批表's personal lines, as terms of the `<dl className="facts">` a page puts them in. */
export function PersonFacts({ person }: { person: PersonFactsRow }) {
  return (
    <>
      <dt>性别</dt>
      <dd>{SEX_LABELS[person.sex]}</dd>
      <dt>出生日期</dt>
      <dd>{person.birth_date}</dd>
      <dt>民族</dt>
      <dd>{person.ethnicity}</dd>
      <dt>学历</dt>
      <dd>{person.education}</dd>
      <dt>政治面貌</dt>
      <dd>{person.political_status}</dd>
      <dt>工作单位</dt>
      <dd>{person.employer}</dd>
      <dt>所属行业</dt>
      <dd>{person.industry}</dd>
      <dt>职务</dt>
      <dd>{person.position || "—"}</dd>
      <dt>职称</dt>
      <dd>{person.title || "—"}</dd>
      <dt>技术等级</dt>
      <dd>{person.skill_level}</dd>
    </>
  );
}
