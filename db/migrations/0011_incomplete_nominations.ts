import { type Kysely } from "kysely";

// A county's 汇总表 is a list, not the whole 推荐审批表: a nominee can be filed from it before the
// frontline years and whether they are still in a skill post are known. Such a nomination is
// 待补全 (the missing parts are derived from the row, not stored) and holds up 资格初审.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("nomination")
    .alterColumn("frontline_years", (c) => c.dropNotNull())
    .alterColumn("in_skill_post", (c) => c.dropNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("nomination")
    .alterColumn("frontline_years", (c) => c.setNotNull())
    .alterColumn("in_skill_post", (c) => c.setNotNull())
    .execute();
}
