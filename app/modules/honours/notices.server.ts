import { HONOUR_AUDIT } from "~/modules/honours/labels";
import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";

/** An honour is about its person: they hear (through their own account) what is recorded of their honours. */
const honourSubject: SubjectResolver = async (tx, id) => {
  const h = await tx
    .selectFrom("honour")
    .innerJoin("person", "person.id", "honour.person_id")
    .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
    .select(["honour.title", "honour.year", "person.id as person_id", "person.name", "person.org_unit_id", "org_unit.short_name"])
    .where("honour.id", "=", id)
    .executeTakeFirst();
  return (
    h && {
      personId: h.person_id,
      unitId: h.org_unit_id,
      owner: h.name,
      unit: h.short_name,
      subject: `“${h.title}”（${h.year}年）`,
      link: `/people/${h.person_id}`,
    }
  );
};

export const honourNotices = declareNotices(HONOUR_AUDIT, honourSubject, {
  create: [{ to: ["owner"], category: "verified", text: "荣誉{subject}已登记到您的荣誉档案" }],
  import: [{ to: ["owner"], category: "verified", text: "荣誉{subject}已从名单导入您的荣誉档案" }],
  revoke: [{ to: ["owner", "unit"], category: "suspended", text: "{owner}的荣誉{subject}已登记为撤销：{reason}" }],
  withdraw: [{ to: ["owner"], category: "verified", text: "误录的荣誉{subject}已撤回：{reason}" }],
});
