import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { DB } from "~db";
import { historyOf } from "~/modules/audit/audit.server";
import { recordRecall, revokeAccreditation, revokeAward, revokeCampaign, revokeStudio } from "~/modules/governance/revocation.server";
import { fanOut, todosFor } from "~/worker.server";
import { useTestDb } from "../../../test/db";
import { accreditationBatch, giveBasis, makeAwardee, makeLedStudio, makePerson, makeUser, unitId } from "../../../test/factories";
import { makeRevocationDocument } from "../../../test/factories";

const t = useTestDb();

/** One more title in the campaign of `first` (a person of `unit`, ranked `rank`). */
async function awardBeside(db: DB, first: { campaign_id: number }, unit: string, rank: number) {
  const person = await makePerson(db, { unit, name: `同届${rank}号` });
  const nomination = await db
    .insertInto("nomination")
    .values({
      campaign_id: first.campaign_id,
      person_id: person.id,
      seq: rank,
      channel: "union",
      nominating_unit_id: await unitId(db, unit),
      frontline_years: 20,
      in_skill_post: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return db
    .insertInto("award")
    .values({
      campaign_id: first.campaign_id,
      nomination_id: nomination.id,
      person_id: person.id,
      rank,
      title: "第二届“台州工匠”",
      certificate_number: `C-${first.campaign_id}-${rank}`,
      may_day_medal: true,
      named_on: "2018-05-20",
    })
    .returning(["id", "certificate_number"])
    .executeTakeFirstOrThrow();
}

const awardOf = (db: DB, personId: number) => db.selectFrom("award").selectAll().where("person_id", "=", personId).executeTakeFirstOrThrow();
const stated = (documentId: number) => ({ documentId, revokedOn: "2026-03-02", reason: "弄虚作假骗取荣誉", confirmed: true });

describe("revoking titles and studios", () => {
  it("revokes one title with its document, tells the holder and their county, refuses it twice, and leaves a recall to-do until recorded", async () => {
    const { person, user: holder } = await makeAwardee(t.db, "wenling", "撤销甲");
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const other = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const doc = await makeRevocationDocument(t.db);
    const award = await awardOf(t.db, person.id);

    expect(await revokeAward(t.db, county, { ...stated(doc.id), certificateNumber: award.certificate_number })).toMatchObject({ ok: false, status: 403 });
    expect(await revokeAward(t.db, city, { ...stated(doc.id), certificateNumber: award.certificate_number, confirmed: false })).toMatchObject({
      ok: false,
      field: "confirmed",
    });
    expect(await revokeAward(t.db, city, { ...stated(doc.id), certificateNumber: award.certificate_number })).toMatchObject({ ok: true, revoked: 1 });
    const again = await revokeAward(t.db, city, { ...stated(doc.id), certificateNumber: award.certificate_number });
    expect(again).toMatchObject({ ok: false, status: 409, field: "certificateNumber" });
    expect(again.ok ? "" : again.message).toBe(`证书 ${award.certificate_number} 的称号已于 2026-03-02 以${doc.number}撤销，不能再次撤销`);
    expect(await t.db.selectFrom("revocation").select(["scope", "award_id", "document_id"]).execute()).toEqual([
      { scope: "award", award_id: award.id, document_id: doc.id },
    ]);

    // The holder and 温岭 hear of it; 椒江 does not.
    await fanOut(t.db);
    const messages = await t.db.selectFrom("message").select(["user_id", "text"]).where("text", "like", "%撤销%").execute();
    expect(messages).toEqual(
      expect.arrayContaining([
        { user_id: holder.id, text: "您的第二届“台州工匠”称号已被市总工会撤销：弄虚作假骗取荣誉" },
        { user_id: county.id, text: "撤销甲的第二届“台州工匠”称号已被市总工会撤销，请收回证书：弄虚作假骗取荣誉" },
      ]),
    );
    expect(messages.map((m) => m.user_id)).not.toContain(other.id);
    expect((await historyOf(t.db, "award", award.id)).map((h) => h.action)).toEqual(["revoke"]);

    // The recall waits for 温岭 and the city, not for 椒江; once recorded (by 温岭 only), it is gone.
    const label = `收回证书：撤销甲（${award.certificate_number}）（温岭市）`;
    expect((await todosFor(t.db, county)).map((i) => i.label)).toContain(label);
    expect((await todosFor(t.db, city)).map((i) => i.label)).toContain(label);
    expect((await todosFor(t.db, other)).map((i) => i.label)).not.toContain(label);
    const recall = { kind: "award" as const, id: award.id, recalledOn: "2026-03-10", note: "本人交回" };
    expect(await recordRecall(t.db, other, recall)).toMatchObject({ ok: false, status: 403 });
    expect(await recordRecall(t.db, county, recall)).toEqual({ ok: true });
    expect(await recordRecall(t.db, county, recall)).toMatchObject({ ok: false, status: 409 });
    expect((await todosFor(t.db, county)).map((i) => i.label)).not.toContain(label);
    expect((await historyOf(t.db, "award", award.id)).map((h) => h.action)).toEqual(["revoke", "recall"]);
  });

  it("revokes a whole campaign's titles, naming those revoked before, in one decision", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "整届一");
    const city = await makeUser(t.db, "city_admin");
    const first = await awardOf(t.db, person.id);
    const second = await awardBeside(t.db, first, "jiaojiang", 2);
    const third = await awardBeside(t.db, first, "wenling", 3);
    const doc = await makeRevocationDocument(t.db);
    expect(await revokeAward(t.db, city, { ...stated(doc.id), certificateNumber: second.certificate_number })).toMatchObject({ ok: true });

    const whole = await revokeCampaign(t.db, city, { ...stated(doc.id), campaignId: first.campaign_id });
    expect(whole).toMatchObject({ ok: true, revoked: 2, alreadyRevoked: [second.certificate_number] });
    const awards = await t.db.selectFrom("award").select(["id", "revocation_id"]).where("campaign_id", "=", first.campaign_id).orderBy("id").execute();
    const decision = whole.ok ? whole.id : 0;
    expect(awards.map((a) => [a.id, a.revocation_id === decision])).toEqual([
      [first.id, true],
      [second.id, false],
      [third.id, true],
    ]);
    expect(await revokeCampaign(t.db, city, { ...stated(doc.id), campaignId: first.campaign_id })).toMatchObject({ ok: false, status: 409 });
    expect(await revokeCampaign(t.db, city, { ...stated(doc.id), campaignId: 99999 })).toMatchObject({ ok: false, status: 404, field: "campaignId" });
    expect(await revokeCampaign(t.db, city, { ...stated(99999), campaignId: first.campaign_id })).toMatchObject({
      ok: false,
      status: 404,
      field: "documentId",
    });
  });

  it("revokes every studio of an accreditation batch, and a single studio's 摘牌 writes its revocation", async () => {
    const batchDoc = { number: "台总工〔2025〕8号", title: "关于命名第一批工匠工作室的决定" };
    const a = await makeLedStudio(t.db, "批次甲");
    const city = a.city;
    const batch = await makeRevocationDocument(t.db, batchDoc);
    const b = await makeLedStudio(t.db, "批次乙", { unit: "jiaojiang" });
    const c = await makeLedStudio(t.db, "批次丙");
    await t.db.updateTable("studio").set({ accreditation_document_id: batch.id }).where("id", "in", [a.studio.id, b.studio.id, c.studio.id]).execute();
    const doc = await makeRevocationDocument(t.db);

    // One studio first, from its page's step (the state the page showed).
    expect(await revokeStudio(t.db, city, c.studio.id, { ...stated(doc.id), expected: "suspended" })).toMatchObject({ ok: false, status: 409 });
    expect(await revokeStudio(t.db, city, c.studio.id, { ...stated(doc.id), expected: "active" })).toMatchObject({ ok: true, revoked: 1 });
    expect(await revokeStudio(t.db, city, c.studio.id, { ...stated(doc.id), expected: "revoked" })).toMatchObject({ ok: false, status: 409 });

    const whole = await revokeAccreditation(t.db, city, { ...stated(doc.id), batchDocumentId: batch.id });
    expect(whole).toMatchObject({ ok: true, revoked: 2, alreadyRevoked: ["批次丙工作室"] });
    const studios = await t.db.selectFrom("studio").select(["status", "revocation_id"]).where("id", "in", [a.studio.id, b.studio.id]).execute();
    expect(studios.every((s) => s.status === "revoked" && s.revocation_id === (whole.ok ? whole.id : 0))).toBe(true);
    // The leaders hear of it through the studio's own 摘牌 notice.
    await fanOut(t.db);
    const told = await t.db.selectFrom("message").select("text").where("user_id", "=", a.leader.id).execute();
    expect(told.map((m) => m.text)).toContain("“批次甲工作室”已被摘牌：弄虚作假骗取荣誉");
    const todo = (await todosFor(t.db, city)).map((i) => i.label);
    expect(todo).toEqual(expect.arrayContaining(["收回牌匾：批次甲工作室（温岭市）", "收回牌匾：批次乙工作室（椒江区）", "收回牌匾：批次丙工作室（温岭市）"]));
  });

  it("refuses a naming basis or 授牌决定 as a revocation's own document, and a date before its document or the title", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "日期甲");
    const city = await makeUser(t.db, "city_admin");
    const award = await awardOf(t.db, person.id);
    const naming = await giveBasis(t.db, award.campaign_id);
    const certificateNumber = award.certificate_number;
    expect(await revokeAward(t.db, city, { ...stated(naming.id), certificateNumber })).toEqual({
      ok: false,
      status: 400,
      field: "documentId",
      message: `${naming.number}是命名或授牌的依据，不能作为撤销决定的文件`,
    });
    const batch = await accreditationBatch(t.db);
    const s = await makeLedStudio(t.db, "日期乙");
    await t.db.updateTable("studio").set({ accreditation_document_id: batch }).where("id", "=", s.studio.id).execute();
    expect(await revokeStudio(t.db, city, s.studio.id, { ...stated(batch), expected: "active" })).toMatchObject({ ok: false, field: "documentId" });

    // Revoked before its own document was issued (2026-03-01).
    const doc = await makeRevocationDocument(t.db);
    expect(await revokeAward(t.db, city, { ...stated(doc.id), revokedOn: "2026-02-28", certificateNumber })).toEqual({
      ok: false,
      status: 400,
      field: "revokedOn",
      message: "撤销日期不能早于撤销文件的发文日期（2026-03-01）",
    });
    // Revoked before the title was named (2018-05-20), or a studio before it was accredited (2026-03-01).
    const old = await makeRevocationDocument(t.db, { issued_on: "2018-01-05" });
    expect(await revokeAward(t.db, city, { ...stated(old.id), revokedOn: "2018-05-19", certificateNumber })).toEqual({
      ok: false,
      status: 400,
      field: "revokedOn",
      message: `撤销日期不能早于证书 ${certificateNumber} 的命名日期（2018-05-20）`,
    });
    // A whole campaign: against the latest title it takes back.
    const later = await awardBeside(t.db, award, "wenling", 2);
    await t.db.updateTable("award").set({ named_on: "2018-06-30" }).where("id", "=", later.id).execute();
    expect(await revokeCampaign(t.db, city, { ...stated(old.id), revokedOn: "2018-06-01", campaignId: award.campaign_id })).toMatchObject({
      ok: false,
      field: "revokedOn",
      message: `撤销日期不能早于证书 ${later.certificate_number} 的命名日期（2018-06-30）`,
    });
    expect(await revokeStudio(t.db, city, s.studio.id, { ...stated(old.id), revokedOn: "2025-12-31", expected: "active" })).toMatchObject({
      ok: false,
      field: "revokedOn",
      message: "撤销日期不能早于日期乙工作室的授牌日期（2026-03-01）",
    });
    expect(await t.db.selectFrom("revocation").select("id").where("document_id", "in", [old.id, doc.id]).execute()).toEqual([]);

    // The recall is recorded on or after the revocation's date.
    expect(await revokeAward(t.db, city, { ...stated(doc.id), certificateNumber })).toMatchObject({ ok: true });
    const recall = { kind: "award" as const, id: award.id, note: "" };
    expect(await recordRecall(t.db, city, { ...recall, recalledOn: "2026-03-01" })).toEqual({
      ok: false,
      status: 400,
      field: "recalledOn",
      message: "收回日期不能早于撤销日期（2026-03-02）",
    });
    expect(await recordRecall(t.db, city, { ...recall, recalledOn: "2026-03-02" })).toEqual({ ok: true });
  });

  it("undoes the whole decision when one part of it fails", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "回滚一");
    const city = await makeUser(t.db, "city_admin");
    const first = await awardOf(t.db, person.id);
    const second = await awardBeside(t.db, first, "wenling", 2);
    const doc = await makeRevocationDocument(t.db);
    // The second title's history row cannot be written: the first title's revocation must not stay either.
    await sql
      .raw(
        `create function refuse_second() returns trigger language plpgsql as $$ begin
           if new.entity_type = 'award' and new.entity_id = '${second.id}' then raise exception 'history refused'; end if;
           return new; end $$`,
      )
      .execute(t.db);
    await sql.raw("create trigger refuse_second before insert on audit_log for each row execute function refuse_second()").execute(t.db);
    try {
      await expect(revokeCampaign(t.db, city, { ...stated(doc.id), campaignId: first.campaign_id })).rejects.toThrow(/history refused/);
    } finally {
      await sql.raw("drop trigger refuse_second on audit_log").execute(t.db);
      await sql.raw("drop function refuse_second()").execute(t.db);
    }
    expect(await t.db.selectFrom("revocation").select("id").where("campaign_id", "=", first.campaign_id).execute()).toEqual([]);
    const awards = await t.db.selectFrom("award").select("revocation_id").where("campaign_id", "=", first.campaign_id).execute();
    expect(awards.every((a) => a.revocation_id === null)).toBe(true);
  });
});
