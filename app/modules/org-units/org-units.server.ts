import type { DB } from "~db";
import type { OrgUnitKind } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { ORG_UNIT_AUDIT } from "~/modules/org-units/labels";
import { fieldsRefused, type SaveResult } from "~/lib/result";

export async function listOrgUnits(db: DB, kinds?: OrgUnitKind[]) {
  let query = db.selectFrom("org_unit").selectAll();
  if (kinds) query = query.where("kind", "in", kinds);
  return query.orderBy("kind").orderBy("sort_order").orderBy("id").execute();
}

export function listCountyUnits(db: DB) {
  return listOrgUnits(db, ["county"]);
}

export async function findOrgUnit(db: DB, id: number) {
  return db.selectFrom("org_unit").selectAll().where("id", "=", id).executeTakeFirst();
}

type CreateUnitResult = SaveResult;

/** City officers add social groups (专业学会, 行业协会) that may nominate. */
export async function createSocialGroup(db: DB, actor: SessionUser, input: { name: string; shortName: string }): Promise<CreateUnitResult> {
  return db.transaction().execute(async (tx) => {
    const clash = await tx.selectFrom("org_unit").select("id").where("name", "=", input.name).executeTakeFirst();
    if (clash) return fieldsRefused({ name: ["已有同名单位"] });
    const next = await tx
      .selectFrom("org_unit")
      .select((eb) => eb.fn.coalesce(eb.fn.max("sort_order"), eb.lit(0)).as("n"))
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto("org_unit")
      .values({
        code: `group-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
        name: input.name,
        short_name: input.shortName,
        kind: "social_group",
        sort_order: Number(next.n) + 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ORG_UNIT_AUDIT, {
      actor,
      id: row.id,
      action: "create",
      after: { name: input.name, shortName: input.shortName, kind: "social_group" },
    });
    return { ok: true as const, id: row.id };
  });
}
