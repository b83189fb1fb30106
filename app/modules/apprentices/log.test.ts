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
});
