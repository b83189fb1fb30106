import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { engineName } from ".";
import { useTestDb } from "../test/db";

const t = useTestDb();

describe(`migrations on ${engineName()}`, () => {
  it("creates the schema and seeds the city union and the ten county-level units", async () => {
    const units = await t.db.selectFrom("org_unit").select(["name", "kind"]).orderBy("sort_order").execute();
    expect(units[0]).toEqual({ name: "台州市总工会", kind: "city" });
    expect(units.filter((u) => u.kind === "county").map((u) => u.name)).toEqual([
      "椒江区总工会",
      "黄岩区总工会",
      "路桥区总工会",
      "临海市总工会",
      "温岭市总工会",
      "玉环市总工会",
      "天台县总工会",
      "仙居县总工会",
      "三门县总工会",
      "台州经济开发区（台州绿心旅游度假区）总工会",
    ]);
  });

  it("keeps the audit log append-only", async () => {
    await t.db.insertInto("audit_log").values({ actor_name: "测试", entity_type: "x", entity_id: "1", action: "create", before: null, after: null }).execute();
    await expect(sql`update audit_log set action = 'forged'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    const rows = await t.db.selectFrom("audit_log").select("action").execute();
    expect(rows).toEqual([{ action: "create" }]);
  });

  it("refuses a county officer without a unit and a craftsman without a person", async () => {
    const base = { display_name: "x", password_hash: "x" };
    await expect(
      t.db
        .insertInto("app_user")
        .values({ id: "a", username: "a", role: "county_officer", ...base })
        .execute(),
    ).rejects.toThrow();
    await expect(
      t.db
        .insertInto("app_user")
        .values({ id: "b", username: "b", role: "craftsman", ...base })
        .execute(),
    ).rejects.toThrow();
  });

  it("returns dates as text and counts as numbers on this driver", async () => {
    const row = await sql<{ d: unknown; n: unknown }>`select date '2024-02-29' as d, count(*) as n from org_unit`.execute(t.db);
    expect(row.rows[0]).toEqual({ d: "2024-02-29", n: 11 });
  });
});
