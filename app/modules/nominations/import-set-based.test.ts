import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { countyListOf, countyWorkbook, FILLED_ROW, REVIEW_FORM_HEADER, type Row } from "../../../test/county-files";
import { idNumberFor, importTargetFor, makeCampaign, makePerson, makeUser } from "../../../test/factories";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import {
  commitImport,
  createImportBatch,
  findImportBatch,
  PERSON_FIELDS as PERSON_FIELD_NAMES,
  parseSummaryTable,
  previewStatus,
  type RowOutcome,
} from "~/modules/nominations/summary-table.server";
import type { OpinionInput } from "~/modules/nominations/nominations.server";
import { maskIdNumber } from "~/modules/people/id-number";
import { decryptLarge, encryptLarge, lookupHash } from "~/modules/people/pii.server";
import { REGISTERED_ELSEWHERE } from "~/modules/people/lookup.server";

let statements = 0;
const sent: string[] = [];
const t = useTestDb({
  onQuery: (text) => {
    statements++;
    sent.push(text);
  },
});

const TODAY = "2026-03-10";
const PERSON_FIELDS = new Set<string>(PERSON_FIELD_NAMES);

const born = (i: number) => `19${70 + i}-0${1 + i}-1${i}`;
const ids = Array.from({ length: 9 }, (_, i) => idNumberFor("M", born(i)));
const NAMES = ["林建波", "林立涛", "林国军", "林秀平", "林英安", "林斌波", "林华涛", "林明军", "林甲乙"];

/** The i-th person of the sheets, as a county fills the 汇总表. */
function person(i: number, over: Row = {}): Row {
  return { 序号: i + 1, 姓名: NAMES[i], 性别: "男", 身份证号码: ids[i], 出生日期: born(i), ...FILLED_ROW, 联系电话: `1395760000${i}`, ...over };
}

const sheet = (rows: Row[]) => countyWorkbook({ header: REVIEW_FORM_HEADER, rows, sheetName: "温岭市" });
const opinion = (kind: OpinionInput["kind"], text: string, signedOn: string | null): OpinionInput => ({ kind, text, signer: "单位负责人", signedOn });

describe("a 汇总表 checked and written set-based (issue 37, item 1)", () => {
  it("the check's outcomes are what the commit writes: row by row, field by field, history row by history row", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    // Seven filed beforehand and a quota of 7: the second new person is over it.
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { deadline: "2099-03-31", quota: 7 })).id))!;
    const target = await importTargetFor(t.db);

    // On file: six of the unit's people, one (林英安) with a craftsman's account, one (林斌波) with a signed opinion.
    const first = await parseSummaryTable(await sheet([0, 1, 2, 3, 4, 5].map((i) => person(i))), target);
    first.rows[5].opinions = [opinion("employer", "同意推荐", "2026-03-01")];
    const filed = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "上次.xlsx", first, TODAY);
    expect(await commitImport(t.db, officer, campaign, filed, TODAY)).toMatchObject({ ok: true, created: 6 });
    const personOf = (name: string) => t.db.selectFrom("person").selectAll().where("name", "=", name).executeTakeFirst();
    await makeUser(t.db, "craftsman", { personId: (await personOf(NAMES[4]))!.id });
    // Another county's person, whom a 温岭 sheet names too.
    const theirs = idNumberFor("F", "1983-02-02");
    await makePerson(t.db, { unit: "jiaojiang", name: "椒江人", sex: "F", birthDate: "1983-02-02", idNumber: theirs });

    const rows: Row[] = [
      // Our own export's row (masked number): fills the blank 职称.
      person(0, { 身份证号码: maskIdNumber(ids[0]), 职称: "高级工程师" }),
      // The same person by the full number, 21 rows later in a long file: finds the row above's 职称.
      person(0, { 序号: 2, 职称: "工程师" }),
      // As on file.
      person(1),
      // A different 职务, not taken: the record's kept.
      person(2, { 职务: "车间主任" }),
      // A different 荣誉, taken; and an opinion the record lacks.
      person(3, { 已获荣誉: "全国技术能手" }),
      // A new phone, taken, on a record with an account: the person is told.
      person(4, { 联系电话: "13957600055" }),
      // A different employer's opinion (kept) and an undated county one (written, with a warning).
      person(5),
      // Three new people: the second is over the quota; the third lacks 民族 and is refused.
      person(6),
      person(7),
      person(8, { 民族: "" }),
      // Someone else's: refused at upload.
      person(8, { 姓名: "椒江人", 性别: "女", 身份证号码: theirs, 出生日期: "1983-02-02" }),
    ];
    const table = await parseSummaryTable(await sheet(rows), target);
    table.rows[4].opinions = [opinion("employer", "同意推荐上报", "2026-03-05")];
    table.rows[6].opinions = [opinion("employer", "同意", "2026-03-06"), opinion("county", "同意推荐", null)];
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "本次.xlsx", table, TODAY);
    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    expect(batch.table.rows[10].errors).toEqual([REGISTERED_ELSEWHERE]);
    const lines = batch.table.rows.map((r) => r.line);
    // What the preview shows: the check's outcome of each row, read from the records, writing nothing.
    const check = batch.check.rows;
    const outcome = (i: number) => check.get(lines[i]);
    expect(outcome(0)).toMatchObject({ ok: true, change: "updated", changes: [{ field: "title", will: "高级工程师" }], conflicts: [] });
    expect(outcome(1)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [{ field: "title", was: "高级工程师", will: "工程师" }] });
    expect(outcome(2)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [] });
    expect(outcome(3)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [{ field: "position", will: "车间主任" }] });
    expect(outcome(4)).toMatchObject({ ok: true, change: "updated", changes: [{ field: "opinion_employer" }], conflicts: [{ field: "honors" }] });
    expect(outcome(5)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [{ field: "phone" }] });
    expect(outcome(6)).toMatchObject({ ok: true, change: "updated", changes: [{ field: "opinion_county" }], conflicts: [{ field: "opinion_employer" }] });
    expect(outcome(6)).toMatchObject({ warnings: [expect.stringContaining("意见没有签署日期")] });
    expect(outcome(7)).toMatchObject({ ok: true, change: "created" });
    expect(outcome(8)).toMatchObject({ ok: true, change: "created" });
    expect(outcome(9)).toMatchObject({ ok: false, errors: [expect.stringContaining("民族")] });
    expect(outcome(10)).toBeUndefined();
    const overQuota = (i: number) => (outcome(i) as { warnings: string[] }).warnings.some((w) => w.includes("超过原则上每单位7名"));
    expect([overQuota(7), overQuota(8)]).toEqual([false, true]);
    // The officer takes the file's 荣誉 and phone.
    const take = [`${lines[4]}:honors`, `${lines[5]}:phone`];
    const taken = (line: number, field: string) => take.includes(`${line}:${field}`);

    const { last } = await t.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.max("id").as("last"))
      .executeTakeFirstOrThrow();
    const result = await commitImport(t.db, officer, campaign, batchId, TODAY, undefined, take);
    const writes = (line: number, o: Extract<RowOutcome, { ok: true }>) => [...o.changes, ...o.conflicts.filter((c) => taken(line, c.field))];
    const changeOf = (line: number, o: Extract<RowOutcome, { ok: true }>) => (o.change === "unchanged" && writes(line, o).length ? "updated" : o.change);
    const oks = [...check].filter((e): e is [number, Extract<RowOutcome, { ok: true }>] => e[1].ok);
    expect(result).toEqual({
      ok: true,
      created: oks.filter(([line, o]) => changeOf(line, o) === "created").length,
      updated: oks.filter(([line, o]) => changeOf(line, o) === "updated").length,
      unchanged: oks.filter(([line, o]) => changeOf(line, o) === "unchanged").length,
    });
    expect(result).toMatchObject({ created: 2, updated: 4, unchanged: 3 });

    // The history the commit wrote, against what each row's outcome says it changes.
    const history = await t.db
      .selectFrom("audit_log")
      .select(["entity_type", "entity_id", "action", "after", "comment"])
      .where("id", ">", Number(last))
      .where("comment", "=", "导入文件：本次.xlsx")
      .orderBy("id")
      .execute();
    const expected: string[] = [];
    const lastOutcome = new Map<number, Extract<RowOutcome, { ok: true }>>();
    for (const [i, r] of batch.table.rows.entries()) {
      const o = check.get(r.line);
      if (!o?.ok) {
        // A refused row writes nothing: its person is not on file (椒江人 is, but untouched).
        if (i === 9) expect(await personOf(NAMES[8])).toBeUndefined();
        continue;
      }
      // Rows 0 and 1 both name the first person; row i > 0 the (i − 1)-th.
      const p = (await t.db
        .selectFrom("person")
        .selectAll()
        .where("id_number_hash", "=", lookupHash(ids[Math.max(0, i - 1)]))
        .executeTakeFirst())!;
      const n = (await t.db.selectFrom("nomination").selectAll().where("campaign_id", "=", campaign.id).where("person_id", "=", p.id).executeTakeFirst())!;
      const opinions = await t.db.selectFrom("nomination_opinion").selectAll().where("nomination_id", "=", n.id).execute();
      lastOutcome.set(n.id, o);
      if (o.change === "created") expected.push(`person:${p.id}:create`, `nomination:${n.id}:create`);
      for (const c of writes(r.line, o)) {
        expected.push(
          PERSON_FIELDS.has(c.field) ? `person:${p.id}:update` : c.field.startsWith("opinion_") ? `nomination:${n.id}:${c.field}` : `nomination:${n.id}:update`,
        );
      }
      // Each change is on the record as the preview said it would be; each conflict kept the record's.
      const shown = (field: string) =>
        field === "phone"
          ? p.phone_masked
          : field.startsWith("opinion_")
            ? (opinions.find((x) => `opinion_${x.kind}` === field)?.text ?? "（空）")
            : ({ title: p.title, position: p.position, honors: n.honors } as Record<string, string>)[field];
      for (const c of writes(r.line, o)) expect([r.line, c.field, shown(c.field)]).toEqual([r.line, c.field, c.will]);
      for (const c of o.conflicts.filter((c) => !taken(r.line, c.field))) expect([r.line, c.field, shown(c.field)]).toEqual([r.line, c.field, c.was]);
    }
    const actual = history.map((h) => `${h.entity_type}:${h.entity_id}:${h.action}`);
    expect([...actual].sort()).toEqual([...expected].sort());
    // A person's update is in the history with what it changed.
    const titleUpdate = history.find((h) => h.entity_type === "person" && h.action === "update" && (h.after as { title?: string }).title === "高级工程师");
    expect(titleUpdate).toBeDefined();
    // What each nomination stores for 资格初审 is what the last row naming it warned of.
    for (const [id, o] of lastOutcome) {
      const n = await t.db.selectFrom("nomination").select("import_warnings").where("id", "=", id).executeTakeFirstOrThrow();
      expect(n.import_warnings).toEqual(o.warnings);
    }
    // The new phone on a record with an account: its person is told, as from the person form.
    const e = (await personOf(NAMES[4]))!;
    const told = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", String(e.id))
      .where("action", "=", "phone_changed_by_other")
      .execute();
    expect(told).toHaveLength(1);
  }, 120_000);

  it("checks and writes a file with a statement per batch of rows, not per row: 1,000 rows take no more statements than 200", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const target = await importTargetFor(t.db);
    /** Statements sent while `work` runs. */
    const counted = async (work: () => Promise<unknown>) => {
      const start = statements;
      await work();
      return statements - start;
    };
    const countsFor = async (rows: number) => {
      const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { deadline: "2099-03-31", quota: 20_000 })).id))!;
      // One list (its ID numbers are made up afresh each time), imported twice.
      const list = await countyListOf(rows);
      const imported = async (name: string, change: (table: Awaited<ReturnType<typeof parseSummaryTable>>) => void) => {
        const table = await parseSummaryTable(list, target);
        change(table);
        const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, name, table, TODAY);
        const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
        const check = await counted(() => previewStatus(t.db, officer, campaign, batch, TODAY));
        let result: unknown;
        const commit = await counted(async () => (result = await commitImport(t.db, officer, campaign, batchId, TODAY)));
        return { check, commit, result };
      };
      // New people and nominations; then the same people again, each with a 职称 and a 荣誉 the records lack.
      const created = await imported("新增.xlsx", () => {});
      expect(created.result).toEqual({ ok: true, created: rows, updated: 0, unchanged: 0 });
      const updated = await imported("补充.xlsx", (table) => table.rows.forEach((r) => Object.assign(r.form!, { title: "工程师", honors: "市技术能手" })));
      expect(updated.result).toEqual({ ok: true, created: 0, updated: rows, unchanged: 0 });
      return [created.check, created.commit, updated.check, updated.commit];
    };
    const few = await countsFor(200);
    const many = await countsFor(1000);
    // A statement per batch: the history's rows go a thousand to a statement, so at most that many more.
    for (const [i, n] of many.entries()) expect(n - few[i]).toBeLessThanOrEqual(2);
    expect(Math.max(...many)).toBeLessThan(40);
  }, 300_000);

  it("a batch's page, read again and again (polled while the work runs, then paged), fetches and parses its stored rows once, and its check again only when there is a new one", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { deadline: "2099-03-31", quota: 20 })).id))!;
    const target = await importTargetFor(t.db);
    // A county's short list is checked in the upload's own request: the batch is previewed at once.
    const batchId = await createImportBatch(
      t.db,
      officer,
      campaign,
      target.nominatingUnitId,
      "温岭.xlsx",
      await parseSummaryTable(await sheet([person(0), person(1)]), target),
      TODAY,
    );
    /** The batch as its page reads it, and how many statements fetched its stored rows and its stored check. */
    const read = async () => {
      const from = sent.length;
      const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
      const fetched = (column: string) => sent.slice(from).filter((text) => text.startsWith(`select "${column}"`)).length;
      return { batch, rows: fetched("rows_cipher"), check: fetched("notes_cipher") };
    };
    const first = await read();
    expect(first).toMatchObject({ rows: 1, check: 1, batch: { status: "previewed" } });
    expect(first.batch.table.rows.map((r) => r.name)).toEqual([NAMES[0], NAMES[1]]);
    expect(first.batch.check.rows.size).toBe(2);
    const again = await read();
    expect(again).toMatchObject({ rows: 0, check: 0 });
    expect(again.batch).toEqual(first.batch);
    // A new check (the same findings, stored again as a check run again stores them) is read anew; the rows are not.
    const stored = await t.db.selectFrom("import_batch").select("notes_cipher").where("id", "=", batchId).executeTakeFirstOrThrow();
    await t.db
      .updateTable("import_batch")
      .set({ notes_cipher: await encryptLarge(await decryptLarge(stored.notes_cipher!)) })
      .where("id", "=", batchId)
      .execute();
    const rechecked = await read();
    expect(rechecked).toMatchObject({ rows: 0, check: 1 });
    expect(rechecked.batch.check).toEqual(first.batch.check);
  });
});
