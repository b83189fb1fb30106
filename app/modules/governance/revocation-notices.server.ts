import { sql } from "kysely";
import type { Tx } from "~db";
import { declareNotices } from "~/modules/notifications/sources";
import { AWARD_AUDIT } from "~/modules/governance/revocation-labels";

/** A title's history is about its holder, within their county; it is seen on their record. */
const awardSubject = (tx: Tx, id: number) =>
  tx
    .selectFrom("award")
    .innerJoin("person", "person.id", "award.person_id")
    .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
    .select(["award.person_id as personId", "person.org_unit_id as unitId", "person.name as owner", "org_unit.short_name as unit", "award.title as subject"])
    .select(sql<string>`'/people/' || award.person_id`.as("link"))
    .where("award.id", "=", id)
    .executeTakeFirst();

/** A revoked title: its holder hears of it, and their county's officers, who recall the certificate. (A studio's 摘牌 is the studio's own step.) */
export const awardNotices = declareNotices(AWARD_AUDIT, awardSubject, {
  revoke: [
    { to: ["owner"], category: "suspended", text: "您的{subject}称号已被市总工会撤销：{reason}" },
    { to: ["unit"], category: "todo", text: "{owner}的{subject}称号已被市总工会撤销，请收回证书：{reason}" },
  ],
});
