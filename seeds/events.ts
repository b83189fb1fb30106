import crypto from "node:crypto";
import type { DB } from "../db";

const code = (n: number) => Array.from(crypto.randomBytes(n), (b) => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[b % 32]).join("");

/**
 * A finished cross-region exchange in 温岭 that the demo craftsman attended (with a certificate),
 * a monthly series, and an upcoming teaching session of the craftsman's studio.
 */
export async function seedEvents(db: DB, craftsmanPersonId: number, adminId: string) {
  const units = await db.selectFrom("org_unit").select(["id", "code"]).where("kind", "=", "county").execute();
  const wenling = units.find((u) => u.code === "wenling")!;
  const series = await db
    .insertInto("event_series")
    .values({ title: "温岭每月技能交流", org_unit_id: wenling.id, description: "每月第一个周五下午", created_by: adminId })
    .returning("id")
    .executeTakeFirstOrThrow();
  const now = new Date();
  const daysAgo = (d: number, hour: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - d, hour - 8));
  const past = await db
    .insertInto("event")
    .values({
      series_id: series.id,
      title: "精密加工技艺切磋会",
      kind: "skill_exchange",
      org_unit_id: wenling.id,
      starts_at: daysAgo(20, 14),
      ends_at: daysAgo(20, 17),
      channel: "offline",
      place: "温岭市职工服务中心三楼",
      description: "邀请椒江、黄岩、路桥的工匠同台切磋数控加工技艺。",
      capacity: 60,
      checkin_code: code(6),
      created_by: adminId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // People from four counties, including the demo craftsman.
  const guests = await db
    .selectFrom("person")
    .select(["id", "org_unit_id"])
    .where(
      "org_unit_id",
      "in",
      units.filter((u) => ["jiaojiang", "huangyan", "luqiao"].includes(u.code)).map((u) => u.id),
    )
    .orderBy("id")
    .limit(6)
    .execute();
  const attendees = [craftsmanPersonId, ...guests.map((g) => g.id)];
  for (const [i, personId] of attendees.entries()) {
    await db
      .insertInto("event_participant")
      .values({
        event_id: past.id,
        person_id: personId,
        attended: i < attendees.length - 1,
        checked_in_at: i < attendees.length - 1 ? daysAgo(20, 14) : null,
        checked_in_via: i < attendees.length - 1 ? (i % 2 ? "organiser" : "code") : null,
        hours: i < attendees.length - 1 ? 3 : null,
        certificate_code: personId === craftsmanPersonId ? `JX${code(10)}` : null,
        registered_by: adminId,
      })
      .execute();
  }
  await db
    .insertInto("event_participant")
    .values({
      event_id: past.id,
      outside_name: "李海波",
      outside_employer: "宁波某机床有限公司",
      outside_industry: "机械",
      outside_unit_id: wenling.id,
      attended: true,
      checked_in_at: daysAgo(20, 14),
      checked_in_via: "organiser",
      hours: 3,
      registered_by: adminId,
    })
    .execute();

  const studio = await db.selectFrom("studio").select(["id", "org_unit_id"]).where("person_id", "=", craftsmanPersonId).executeTakeFirst();
  if (studio) {
    await db
      .insertInto("event")
      .values({
        title: "旋梭热处理工艺带徒授课",
        kind: "teaching",
        org_unit_id: studio.org_unit_id,
        studio_id: studio.id,
        starts_at: daysAgo(-7, 9),
        ends_at: daysAgo(-7, 11),
        channel: "offline",
        place: "工作室实训区",
        checkin_code: code(6),
        created_by: adminId,
      })
      .execute();
  }
}
