import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { PDF, PNG } from "../../../test/files";
import { makePairing, makeUser } from "../../../test/factories";
import { todayInTaizhou } from "~/lib/time";
import { findMentorship } from "~/modules/studios/mentorships.server";
import { studioCycleSummary } from "~/modules/studios/cycle.server";
import { addLogEntry, logOf, logPhotoForViewer, reviewLogEntry } from "~/modules/apprentices/log.server";
import { logToConfirm } from "~/modules/apprentices/todos.server";

const t = useTestDb();

const pairing = async (id: number) => (await findMentorship(t.db, id))!;
const entry = { onDate: "2026-04-10", hours: 2.5, kind: "training" as const, content: "学习数控编程基础" };
const today = todayInTaizhou();
const now = { instant: new Date(), today };

/** The studio page's 带徒学时 figure for this year. */
async function hoursOnStudioPage(studioId: number, viewer: Parameters<typeof studioCycleSummary>[1]) {
  const studio = await t.db.selectFrom("studio").selectAll().where("id", "=", studioId).executeTakeFirstOrThrow();
  return (await studioCycleSummary(t.db, viewer, studio)).progress.find((p) => p.key === "apprenticeHours")!.actual;
}

describe("the apprentice's log", () => {
  it("the apprentice adds entries; a stranger, another studio's mentor, the mentor and the county cannot; bad dates and photos are refused by the field", async () => {
    const p = await makePairing(t.db, "日志甲");
    const other = await makePairing(t.db, "日志乙");
    const county = await makeUser(t.db, "county_officer");
    const m = await pairing(p.mentorshipId);
    for (const who of [other.apprenticeUser, other.leader, p.leader, county]) {
      expect(await addLogEntry(t.db, who, m, entry, [])).toMatchObject({ ok: false, status: 403 });
    }
    expect(await addLogEntry(t.db, p.apprenticeUser, m, { ...entry, onDate: "2026-02-28" }, [])).toMatchObject({ ok: false, status: 400, field: "onDate" });
    expect(await addLogEntry(t.db, p.apprenticeUser, m, { ...entry, onDate: "2099-01-01" }, [])).toMatchObject({ ok: false, status: 400, field: "onDate" });
    expect(await addLogEntry(t.db, p.apprenticeUser, m, entry, [{ name: "证书.pdf", bytes: PDF }])).toMatchObject({ ok: false, status: 400, field: "photo" });
    expect(await addLogEntry(t.db, p.apprenticeUser, m, entry, [{ name: "x.png", bytes: new TextEncoder().encode("not a picture") }])).toMatchObject({
      ok: false,
      field: "photo",
    });
    expect((await logOf(t.db, m.id)).entries).toEqual([]);
    const added = await addLogEntry(t.db, p.apprenticeUser, m, entry, [{ name: "车间.png", bytes: PNG }]);
    expect(added).toEqual({ ok: true, id: expect.any(Number) });
    const log = await logOf(t.db, m.id);
    expect(log.entries).toEqual([expect.objectContaining({ minutes: 150, kind: "training", status: "pending", has_photo: true })]);
    // The photo goes to the pairing's parties only.
    const id = added.ok ? added.id : 0;
    for (const who of [p.apprenticeUser, p.leader, county]) expect((await logPhotoForViewer(t.db, who, id)).status).toBe(200);
    for (const who of [other.apprenticeUser, other.leader, await makeUser(t.db, "county_officer", { unit: "jiaojiang" })]) {
      expect((await logPhotoForViewer(t.db, who, id)).status).toBe(403);
    }
    expect((await logPhotoForViewer(t.db, p.leader, id + 1000)).status).toBe(404);
  });

  it("the mentor confirms or returns pending entries (a to-do until then); confirmed hours count toward the year's plan, only once confirmed", async () => {
    const p = await makePairing(t.db, "日志丙");
    const other = await makePairing(t.db, "日志丁");
    const m = await pairing(p.mentorshipId);
    const first = await addLogEntry(t.db, p.apprenticeUser, m, { ...entry, onDate: today, hours: 2.5 }, []);
    const second = await addLogEntry(t.db, p.apprenticeUser, m, { ...entry, onDate: today, hours: 4, kind: "practice" }, []);
    if (!first.ok || !second.ok) throw new Error("entries not added");
    expect(await logToConfirm.list(t.db, p.leader, now)).toEqual([
      expect.objectContaining({ label: expect.stringContaining("（2条）"), link: `/mentorships/${m.id}#log` }),
    ]);
    expect(await logToConfirm.list(t.db, other.leader, now)).toEqual([]);
    expect(await hoursOnStudioPage(p.studio.id, p.leader)).toBe(0);

    expect(await reviewLogEntry(t.db, other.leader, m, { entryId: first.id, decision: "confirmed", comment: null })).toMatchObject({ status: 403 });
    expect(await reviewLogEntry(t.db, p.apprenticeUser, m, { entryId: first.id, decision: "confirmed", comment: null })).toMatchObject({ status: 403 });
    // An entry of another pairing is not this pairing's to confirm.
    const om = await pairing(other.mentorshipId);
    expect(await reviewLogEntry(t.db, other.leader, om, { entryId: first.id, decision: "confirmed", comment: null })).toMatchObject({ status: 404 });
    expect(await reviewLogEntry(t.db, p.leader, m, { entryId: second.id, decision: "returned", comment: null })).toMatchObject({
      status: 400,
      field: "comment",
    });

    expect(await reviewLogEntry(t.db, p.leader, m, { entryId: first.id, decision: "confirmed", comment: null })).toEqual({ ok: true });
    expect(await reviewLogEntry(t.db, p.leader, m, { entryId: first.id, decision: "returned", comment: "重复" })).toMatchObject({ status: 409 });
    expect(await reviewLogEntry(t.db, p.leader, m, { entryId: second.id, decision: "returned", comment: "请写清练习的零件" })).toEqual({ ok: true });
    expect(await logToConfirm.list(t.db, p.leader, now)).toEqual([]);
    // 2.5 confirmed hours count; the returned 4 do not.
    expect(await hoursOnStudioPage(p.studio.id, p.leader)).toBe(2.5);
    expect((await logOf(t.db, m.id)).confirmedMinutes).toBe(150);
    const history = await t.db.selectFrom("audit_log").select(["action", "comment"]).where("entity_type", "=", "apprentice_log").orderBy("id").execute();
    expect(history.filter((h) => h.action !== "create")).toEqual([
      { action: "confirm", comment: null },
      { action: "return", comment: "请写清练习的零件" },
    ]);
  });

  it("refuses by the hours an entry that would take a date past 24 hours, counting the date's entries not returned, even two at once", async () => {
    const p = await makePairing(t.db, "日志戊");
    const m = await pairing(p.mentorshipId);
    const add = (onDate: string, hours: number) => addLogEntry(t.db, p.apprenticeUser, m, { ...entry, onDate, hours }, []);
    // A double submit of a whole day: exactly one is kept, the other refused by the hours.
    const twice = await Promise.all([add("2026-04-10", 24), add("2026-04-10", 24)]);
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    expect(twice.find((r) => !r.ok)).toEqual({ ok: false, status: 409, field: "hours", message: "2026-04-10已登记满24小时，不能再登记" });
    // Two entries of 13 hours at once: 26 hours in a day, one of them refused.
    const both = await Promise.all([add("2026-04-11", 13), add("2026-04-11", 13)]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ status: 409, field: "hours", message: "2026-04-11已登记13小时，一天最多24小时，本条最多还能登记11小时" });
    // What is left of the day fits; a quarter of an hour more does not.
    expect(await add("2026-04-11", 11)).toMatchObject({ ok: true });
    expect(await add("2026-04-11", 0.25)).toMatchObject({ ok: false, status: 409, field: "hours" });
    // Another day is its own 24 hours.
    expect(await add("2026-04-12", 24)).toMatchObject({ ok: true });
    const perDay = (await logOf(t.db, m.id)).entries.reduce<Record<string, number>>(
      (sums, e) => ({ ...sums, [e.on_date]: (sums[e.on_date] ?? 0) + e.minutes }),
      {},
    );
    expect(perDay).toEqual({ "2026-04-10": 1440, "2026-04-11": 1440, "2026-04-12": 1440 });

    // A returned entry no longer counts: the corrected one takes its place.
    const kept = twice.find((r) => r.ok);
    if (!kept?.ok) throw new Error("no entry kept");
    expect(await reviewLogEntry(t.db, p.leader, m, { entryId: kept.id, decision: "returned", comment: "一天不可能学24小时" })).toEqual({ ok: true });
    expect(await add("2026-04-10", 8)).toMatchObject({ ok: true });
  });
});
