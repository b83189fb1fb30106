import { describe, expect, it } from "vitest";
import { useTestDb } from "../../../test/db";
import { idNumberFor, makeCampaign, makeNominations, makeUser, phoneInbox, solvedChallenge } from "../../../test/factories";
import { parseIdNumber, type IdNumberFacts } from "~/modules/people/id-number";
import { smsGateway } from "~/lib/sms.server";
import { fromDateTimeLocal } from "~/lib/time";
import { fileObjection, noticeBoard, objectionOutcome } from "~/modules/voting/notice.server";
import { requestCode } from "~/modules/voting/voting.server";
import { listObjections, resolveObjection } from "~/modules/nominations/review.server";
import { todosFor } from "~/worker.server";

const t = useTestDb();
const DURING = fromDateTimeLocal("2026-06-10T10:00")!;
const PDF = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

async function inNotice() {
  const campaign = await makeCampaign(t.db, { year: 2026, status: "public_notice" });
  await t.db.updateTable("campaign").set({ notice_start: "2026-06-09", notice_end: "2026-06-15" }).where("id", "=", campaign.id).execute();
  const ids = await makeNominations(t.db, campaign.id, ["陈立", "林秀"], { candidate: true, deeds_summary: "三十年扎根一线，带徒二十余人。" });
  return { campaign, ids };
}

const objector = parseIdNumber(idNumberFor("M", "1980-03-02"));
const objection = (nominationId: number, code: string, phone = "13857612345") => ({
  name: "张三",
  idNumber: (objector.ok ? objector.value : null) as IdNumberFacts,
  phone,
  code,
  relation: "同事" as const,
  nominationId,
  content: "反映其一线工作年限与实际不符，2010年至2015年在机关工作。",
});

const handset = phoneInbox();

async function codeFor(campaignId: number, phone: string, now = DURING) {
  expect(await requestCode(t.db, handset, campaignId, { phone, altcha: await solvedChallenge(campaignId) }, { address: null }, now, "objection")).toMatchObject(
    { ok: true },
  );
  const sms = await t.db.selectFrom("sms_message").select("text").where("template", "=", "vote_code").orderBy("id", "desc").executeTakeFirstOrThrow();
  // 短信记录 says what was sent, the code masked.
  expect(sms.text).toContain("公示异议验证码是 ******");
  return handset.codeFor(phone);
}

describe("the public notice online", () => {
  it("lists the proposed names in the period, takes a real-name objection with its proof into the review, and tells the objector the outcome by code", async () => {
    const { campaign, ids } = await inNotice();
    const board = (await noticeBoard(t.db, campaign.id, DURING))!;
    expect(board.state).toBe("open");
    expect(board.names.map((n) => n.name)).toEqual(["陈立", "林秀"]);
    expect(JSON.stringify(board)).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}/);

    const code = await codeFor(campaign.id, "13857612345");
    // A vote code is no objection code, and the other way round.
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await fileObjection(t.db, campaign.id, objection(ids[0], wrong), async () => [], { address: null }, DURING)).toMatchObject({
      ok: false,
      message: "验证码不正确",
    });
    expect(await fileObjection(t.db, campaign.id, objection(999_999, code), async () => [], { address: null }, DURING)).toMatchObject({
      ok: false,
      field: "nominationId",
    });
    const program = new Uint8Array([0x4d, 0x5a, 0x90, 0x00]);
    expect(
      await fileObjection(t.db, campaign.id, objection(ids[0], code), async () => [{ name: "证明.pdf", bytes: program }], { address: null }, DURING),
    ).toMatchObject({
      ok: false,
      field: "files",
    });
    const filed = await fileObjection(
      t.db,
      campaign.id,
      objection(ids[0], code),
      async () => [{ name: "工作证明.pdf", bytes: PDF }],
      { address: null },
      DURING,
    );
    if (!filed.ok) throw new Error(JSON.stringify(filed));
    expect(filed.lookup).toMatch(/^YY[A-Z0-9]{8}$/);
    // The code is spent.
    expect(await fileObjection(t.db, campaign.id, objection(ids[1], code), async () => [], { address: null }, DURING)).toMatchObject({
      ok: false,
      message: "验证码已过期或已使用，请重新获取",
    });

    const [entered] = await listObjections(t.db, campaign.id);
    expect(entered).toMatchObject({ nomination_id: ids[0], received_on: "2026-06-10", source: "网上实名异议（同事）", outcome: "pending" });
    expect(await t.db.selectFrom("objection_attachment").select(["filename", "content_type"]).execute()).toEqual([
      { filename: "工作证明.pdf", content_type: "application/pdf" },
    ]);
    const county = await makeUser(t.db, "county_officer", { unit: "wenling" });
    expect((await todosFor(t.db, county, DURING)).map((i) => i.label)).toContain("核查公示异议：陈立");

    expect(await objectionOutcome(t.db, campaign.id, filed.lookup)).toMatchObject({ nominee: "陈立", outcome: "待处理" });
    const city = await makeUser(t.db, "city_admin");
    expect(await resolveObjection(t.db, city, entered.id, { handling: "经核实，其间仍在车间一线", outcome: "dismissed" })).toEqual({ ok: true });
    expect(await objectionOutcome(t.db, campaign.id, filed.lookup)).toMatchObject({ outcome: "不属实，维持", handling: "经核实，其间仍在车间一线" });
    expect(await objectionOutcome(t.db, campaign.id, "YYAAAAAAAA")).toBeNull();

    // After the period: the page says so, and no code or objection is taken.
    const after = fromDateTimeLocal("2026-06-16T09:00")!;
    expect(await noticeBoard(t.db, campaign.id, after)).toMatchObject({ state: "after", names: [] });
    expect(
      await requestCode(
        t.db,
        smsGateway({ driver: "outbox" }),
        campaign.id,
        { phone: "13857600000", altcha: await solvedChallenge(campaign.id) },
        { address: null },
        after,
        "objection",
      ),
    ).toEqual({
      ok: false,
      status: 409,
      message: "公示期已结束",
    });
  });
});
