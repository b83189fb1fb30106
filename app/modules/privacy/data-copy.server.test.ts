import ExcelJS from "exceljs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { idNumberFor, makeAwardee, makeEvent, makeLedStudio, makeSubsidy, makeUser } from "../../../test/factories";
import { encrypt, lookupHash, voterHash } from "~/modules/people/pii.server";
import { maskPhone } from "~/modules/people/id-number";
import { copySubject, DATA_MAP, dataCopy, dataRowsOf } from "~/modules/privacy/data-copy.server";
import { fileOwnRequest } from "~/modules/privacy/rights.server";

const t = useTestDb();

describe("the data copy", () => {
  it("names every table of the database: how its rows are a person's, or why it holds nothing personal", async () => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db);
    const tables = rows.map((r) => r.table_name).sort();
    const unclassified = tables.filter((name) => !(name in DATA_MAP));
    expect(unclassified, "tables with no entry in DATA_MAP (app/modules/privacy/data-copy.server.ts)").toEqual([]);
    expect(Object.keys(DATA_MAP).sort()).toEqual(tables);
  });

  it("holds every row about the person, from each table, and nobody else's", async () => {
    const { studio } = await makeLedStudio(t.db, "师傅丙");
    const city = await makeUser(t.db, "city_admin");
    const event = await makeEvent(t.db, city.id, {
      title: "技能交流",
      starts_at: new Date("2026-05-01T01:00:00Z"),
      ends_at: new Date("2026-05-01T03:00:00Z"),
      checkin_code: "ABCD1234",
    });
    const list = await t.db
      .insertInto("subsidy_scheme_list")
      .values({ scheme: "provincial", title: "省总双提升", year: 2025, filename: "list.xlsx", sha256: "x", rows: 2, imported_by: city.id })
      .returning("id")
      .executeTakeFirstOrThrow();

    const seed = async (name: string, phone: string, card: string) => {
      const idNumber = idNumberFor("M", "1980-02-03");
      const { person, user } = await makeAwardee(t.db, "wenling", name, { idNumber });
      await t.db
        .updateTable("person")
        .set({ phone_cipher: encrypt(phone), phone_hash: lookupHash(phone), phone_masked: maskPhone(phone) })
        .where("id", "=", person.id)
        .execute();
      const nomination = await t.db.selectFrom("nomination").select(["id", "campaign_id"]).where("person_id", "=", person.id).executeTakeFirstOrThrow();
      await t.db
        .insertInto("publication_consent")
        .values({ person_id: person.id, consented: true, how_obtained: "书面", story: "三十年钻研", recorded_by: city.id })
        .execute();
      await t.db
        .insertInto("event_participant")
        .values({ event_id: event.id, person_id: person.id, registered_by: city.id, attended: true, checked_in_at: new Date("2026-05-01T02:30:00Z") })
        .execute();
      const application = await makeSubsidy(t.db, 2026, user.id, { personId: person.id, status: "submitted", payee: false });
      await t.db
        .insertInto("subsidy_payee")
        .values({
          application_id: application.id,
          kind: "bank_card",
          account_name: name,
          bank_name: "农业银行",
          number_cipher: encrypt(card),
          number_masked: "****",
          entered_by: user.id,
        })
        .execute();
      const mentorship = await t.db
        .insertInto("mentorship")
        .values({
          studio_id: studio.id,
          apprentice_id: person.id,
          start_date: "2026-03-01",
          planned_end: "2028-02-29",
          goals: "考取技师",
          status: "active",
          created_by: city.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto("apprentice_log")
        .values({
          mentorship_id: mentorship.id,
          on_date: "2026-04-01",
          minutes: 60,
          kind: "training",
          content: "练习装配",
          status: "pending",
          created_by: user.id,
        })
        .execute();
      await t.db.insertInto("message").values({ user_id: user.id, category: "approved", text: "您的申请已通过" }).execute();
      // Their WeChat binding (issue 36): the openid only as a keyed hash, which the copy leaves out.
      await t.db
        .insertInto("wechat_identity")
        .values({ openid_hash: lookupHash(`wechat:o-${person.id}`), person_id: person.id, nickname: `微信${person.id}` })
        .execute();
      await t.db
        .insertInto("sms_message")
        .values({
          user_id: user.id,
          phone_cipher: encrypt(phone),
          phone_hash: lookupHash(phone),
          phone_masked: maskPhone(phone),
          template: "approved",
          params: "{}",
          text: "【匠心】已通过",
          status: "sent",
        })
        .execute();
      await t.db
        .insertInto("phone_code")
        .values({ person_id: null, phone_hash: lookupHash(phone), purpose: "rights_request", code_hash: "secret-hash", expires_at: new Date() })
        .execute();
      const ballot = await t.db
        .insertInto("ballot")
        .values({
          campaign_id: nomination.campaign_id,
          phone_hash: voterHash(nomination.campaign_id, phone),
          phone_masked: maskPhone(phone),
          receipt: `R${person.id}`,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto("ballot_choice")
        .values({ ballot_id: ballot.id, nomination_id: nomination.id, campaign_id: nomination.campaign_id, voter_key: `k${person.id}`, period: "all" })
        .execute();
      await t.db
        .insertInto("subsidy_scheme_entry")
        .values({ list_id: list.id, row_number: person.id, id_number_hash: lookupHash(idNumber), name_masked: `${name[0]}**`, amount_fen: 5000 })
        .execute();
      await fileOwnRequest(t.db, user, { kind: "copy", details: "请提供全部信息", correction: null });
      return { person, user, nomination, idNumber, phone, card, name };
    };
    await t.db.insertInto("subsidy_policy").values({ year: 2026, budget_fen: 100_000_000, share_percent: 50, years_after_award: 5 }).execute();
    const a = await seed("甲查阅人", "13957611111", "6228480402564890011");
    const b = await seed("乙旁观人", "13957622222", "6228480402564890022");
    // A objected (by phone, with their ID number) to B's nomination: the objection is A's, B's nomination is not.
    const objection = await t.db
      .insertInto("objection")
      .values({ nomination_id: b.nomination.id, received_on: "2026-05-02", source: "网上实名", content: "材料与事实不符", recorded_by: city.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("objection_filing")
      .values({
        objection_id: objection.id,
        lookup_code: "LOOKUP0001",
        objector_name: a.name,
        relation: "同事",
        phone_hash: voterHash(b.nomination.campaign_id, a.phone),
        phone_masked: maskPhone(a.phone),
        id_number_cipher: encrypt(a.idNumber),
        id_number_hash: voterHash(b.nomination.campaign_id, `id:${a.idNumber}`),
        phone_cipher: encrypt(a.phone),
        name_cipher: encrypt(a.name),
      })
      .execute();

    const subject = await copySubject(t.db, { personId: a.person.id });
    const tables = await dataRowsOf(t.db, subject);
    const found = Object.fromEntries(tables.map((x) => [x.table, x.rows.length]));
    for (const table of [
      "person",
      "app_user",
      "nomination",
      "award",
      "publication_consent",
      "event_participant",
      "subsidy_application",
      "subsidy_payee",
      "mentorship",
      "apprentice_log",
      "message",
      "wechat_identity",
      "sms_message",
      "phone_code",
      "ballot",
      "ballot_choice",
      "subsidy_scheme_entry",
      "rights_request",
      "objection",
      "objection_filing",
      "audit_log",
    ]) {
      expect(found[table], table).toBeGreaterThan(0);
    }
    // Secrets that unlock, and the keyed hashes that find rows, are never in it: not data about them.
    const hashColumns = tables.flatMap((x) =>
      Object.keys(x.rows[0])
        .filter((column) => column.endsWith("_hash"))
        .map((column) => `${x.table}.${column}`),
    );
    expect(hashColumns).toEqual([]);

    const file = await dataCopy(t.db, subject, "2026-09-25");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    const text: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => text.push(String(cell.text)))));
    const all = text.join("\n");
    expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["说明", "person", "ballot", "subsidy_payee"]));
    // No sheet has a *_hash column; an instant reads as Taizhou wall-clock time, never an Excel serial number.
    const headers: string[] = [];
    book.eachSheet((sheet) => sheet.getRow(2).eachCell((cell) => headers.push(String(cell.text))));
    expect(headers.filter((h) => h.endsWith("_hash"))).toEqual([]);
    const events = book.getWorksheet("event_participant")!;
    const checkedIn = (events.getRow(2).values as unknown[]).indexOf("checked_in_at");
    expect(events.getRow(3).getCell(checkedIn).text).toBe("2026-05-01 10:30");
    // A's own numbers, opened for their own copy.
    for (const mine of [a.name, a.idNumber, a.phone, a.card]) expect(all).toContain(mine);
    // Nothing of B's: not the name, the ID number, the phone or the card.
    for (const theirs of [b.name, b.idNumber, b.phone, b.card]) expect(all).not.toContain(theirs);
  });
});
