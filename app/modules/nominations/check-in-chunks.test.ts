import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { countyWorkbook, FILLED_ROW, REVIEW_FORM_HEADER, type Row } from "../../../test/county-files";
import { idNumberFor, importTargetFor, makeCampaign, makeUser, TEST_PASSWORD } from "../../../test/factories";
import { ORIGIN } from "../../../test/http";
import { signIn } from "~/auth/session.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { commitImport, createImportBatch, findImportBatch, IMPORT_JOBS, parseSummaryTable, previewStatus } from "~/modules/nominations/summary-table.server";
import { maskIdNumber } from "~/modules/people/id-number";
import { runDueJobs } from "~/lib/jobs.server";
import { progressOf } from "~/lib/progress.server";
import { todayInTaizhou } from "~/lib/time";

const t = useTestDb();

const ROWS = 330;

/** A county's person, the i-th of the sheet, as our own export writes them. */
function person(i: number, idNumber: string, born: string, over: Row = {}): Row {
  return {
    序号: i + 1,
    姓名: `林${"建立国秀英斌华明"[i % 8]}${"波涛军平安"[Math.floor(i / 8) % 5]}${"甲乙丙丁戊己戌亥壬"[Math.floor(i / 40)]}`,
    性别: "男",
    身份证号码: idNumber,
    出生日期: born,
    ...FILLED_ROW,
    ...over,
  };
}

describe("a long check on one connection (issue 27, item 5)", () => {
  it("lets a sign-in through while a 330-row check is under way, and finds what one transaction finds — a person named twice across chunks included", async () => {
    const officer = await makeUser(t.db, "county_officer", { unit: "wenling" });
    const other = await makeUser(t.db, "city_admin");
    // Quota 320: the 327th person warns, so the unit's count must be carried from chunk to chunk.
    const campaign = (await findCampaign(t.db, (await makeCampaign(t.db, { deadline: "2099-03-31", quota: 320 })).id))!;
    const born = (i: number) => `19${70 + (i % 25)}-0${1 + (i % 9)}-1${i % 10}`;
    const ids = Array.from({ length: ROWS }, (_, i) => idNumberFor("M", born(i)));
    const target = await importTargetFor(t.db);
    const sheet = (rows: Row[]) => countyWorkbook({ header: REVIEW_FORM_HEADER, rows, sheetName: "温岭市" });
    // Two people already on file, without a 职称.
    const filed = await parseSummaryTable(await sheet([person(3, ids[3], born(3)), person(10, ids[10], born(10))]), target);
    const first = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "上次.xlsx", filed);
    expect(await commitImport(t.db, officer, campaign, first, todayInTaizhou())).toMatchObject({ ok: true, created: 2 });

    // The long file names them again, some rows as our own export writes them (a masked number,
    // matched to the nomination), some with the full number: rows that see what the rows above
    // them wrote, right below (one chunk) and nearly 300 rows further down (another chunk).
    const masked = (i: number, over: Row) => person(i, maskIdNumber(ids[i]), born(i), over);
    const rows = ids.map((id, i) => person(i, id, born(i)));
    rows[3] = masked(3, { 职称: "高级工程师" });
    rows[10] = masked(10, { 职称: "技师" });
    rows[11] = person(10, ids[10], born(10), { 序号: 12, 职称: "技师", 联系电话: "13957600099" });
    rows[290] = person(3, ids[3], born(3), { 序号: 291, 职称: "工程师" });
    rows[320] = masked(3, { 序号: 321, 职称: "高级工程师", 职务: "车间主任" });
    const table = await parseSummaryTable(await sheet(rows), target);
    const batchId = await createImportBatch(t.db, officer, campaign, target.nominatingUnitId, "温岭.xlsx", table);
    expect((await findImportBatch(t.db, officer, campaign.id, batchId))!.table.rows.filter((r) => r.form)).toHaveLength(ROWS);

    const key = `import:${batchId}`;
    let finished = false;
    // Timers that run while the check is under way: none if it held the engine (and the event loop) to its end.
    let turnsMeanwhile = 0;
    const turns = setInterval(() => void (finished || turnsMeanwhile++), 1);
    const checking = runDueJobs(t.db, IMPORT_JOBS).finally(() => (finished = true));
    // Once the check has got going, someone signs in through the same database.
    let seen: Awaited<ReturnType<typeof progressOf>> = null;
    while (!finished && !(seen = await progressOf(t.db, key))?.done) await new Promise((resolve) => setTimeout(resolve, 1));
    const signedIn = await signIn(t.db, new Request(`${ORIGIN}/login`, { method: "POST" }), { username: other.username, password: TEST_PASSWORD });
    await checking;
    clearInterval(turns);
    expect(signedIn.ok).toBe(true);
    // Others had their turns while the check was part-way (how far it had got, seen before it ended), not after it.
    expect(turnsMeanwhile).toBeGreaterThan(0);
    expect(seen?.total).toBe(ROWS);
    expect(seen?.done).toBeGreaterThan(0);
    expect(seen?.done).toBeLessThan(ROWS);

    const batch = (await findImportBatch(t.db, officer, campaign.id, batchId))!;
    expect(batch.status).toBe("previewed");
    const outcome = (index: number) => batch.check.rows.get(table.rows[index].line);
    expect(outcome(3)).toMatchObject({ ok: true, change: "updated", changes: [{ field: "title", will: "高级工程师" }], conflicts: [] });
    expect(outcome(10)).toMatchObject({ ok: true, change: "updated", changes: [{ field: "title", will: "技师" }], conflicts: [] });
    // A later row of the same person finds what the rows above wrote: a conflict with them, not a blank to fill.
    expect(outcome(11)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [{ field: "phone" }] });
    expect(outcome(290)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [{ field: "title", was: "高级工程师", will: "工程师" }] });
    expect(outcome(320)).toMatchObject({ ok: true, change: "unchanged", changes: [], conflicts: [{ field: "position", will: "车间主任" }] });
    expect([...batch.check.rows.values()].filter((o) => o.ok && o.change === "created")).toHaveLength(ROWS - 5);
    expect(batch.check.quota).toMatchObject({ before: 2, after: ROWS - 3, quota: 320 });
    // Row by row the same findings when the records are read seven rows at a time: a person named
    // again many batches further down finds what the rows above would write.
    const oneTransaction = await previewStatus(t.db, officer, campaign, batch, todayInTaizhou(), undefined, 7);
    expect(batch.check.rows).toEqual(oneTransaction.rows);
    expect(batch.check.quota).toEqual(oneTransaction.quota);
    expect([...oneTransaction.rows.values()].filter((o) => o.ok && o.warnings.some((w) => w.includes("超过原则上每单位320名"))).length).toBe(7);
  }, 180_000);
});
