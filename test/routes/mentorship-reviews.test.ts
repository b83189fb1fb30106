import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/roles";
import { addMonths, todayInTaizhou } from "~/lib/time";
import * as mentorshipPage from "../../app/routes/mentorships.$mentorshipId/route";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import { useTestDb } from "../db";
import { makePairing } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** A pairing started four months ago: its first quarterly review is due, about a month back. */
async function pairing(leaderName: string) {
  const today = todayInTaizhou();
  const made = await makePairing(t.db, leaderName, { start: addMonths(today, -4), end: addMonths(today, 20) });
  const params = { mentorshipId: String(made.mentorshipId) };
  const path = `/mentorships/${made.mentorshipId}`;
  return {
    ...made,
    load: (as: SessionUser) => call(mentorshipPage.loader, { db: t.db, path, params, as }),
    post: (as: SessionUser, form: Record<string, string | string[]>) =>
      call(mentorshipPage.action, { db: t.db, path, params, as, form: { intent: "reviewSign", ...form } }),
  };
}

describe("the pairing page's three-party reviews", () => {
  it("signs as the mentor and the county once each, and never hands a rating to the page", async () => {
    const p = await pairing("页面评议师傅");
    expect((await p.post(p.leader, { period: "1", view: "学徒进步明显，能独立完成车削", rating: "2" })).status).toBe(200);
    const again = await p.post(p.leader, { period: "1", view: "再签一次", rating: "5" });
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).message).toBe("师傅已签署第1期评议，不能重复签署");
    expect((await p.post(p.county, { period: "1", view: "企业反映良好", rating: "4" })).status).toBe(200);

    for (const as of [p.leader, p.county]) {
      const loaded = await p.load(as);
      expect(loaded.status).toBe(200);
      const data = await jsonOf(loaded);
      const first = data.reviews.rows.find((r: { period: number }) => r.period === 1);
      expect(first.signed.mentor.view).toBe("学徒进步明显，能独立完成车削");
      expect(first.signed.host.view).toBe("企业反映良好");
      expect(first.signed.apprentice).toBeNull();
      // Not the mentor's own rating, not the county's, under any name.
      expect(JSON.stringify(data.reviews)).not.toMatch(/rating|"2"|满意度/);
    }
  });

  it("never sends the posted rating back in the reply, signed or refused", async () => {
    const p = await pairing("评分不回显师傅");
    const attempts: Array<[Record<string, string | string[]>, number]> = [
      [{ period: "1", view: "", rating: "2" }, 400], // refused by another field
      [{ period: "1", view: "按计划进行", rating: ["1", "5"] }, 400], // refused by the rating itself
      [{ period: "2", view: "按计划进行", rating: "2" }, 409], // refused by the module: period 2 is not open yet
      [{ period: "1", view: "按计划进行", rating: "2" }, 200],
    ];
    for (const [form, status] of attempts) {
      const response = await p.post(p.leader, form);
      expect(response.status, JSON.stringify(form)).toBe(status);
      const reply = await jsonOf(response);
      expect(reply.form.initialValue).not.toHaveProperty("rating");
      // Nowhere else in the reply either (a refused rating keeps only its message by the field).
      expect(JSON.stringify(reply)).not.toMatch(/"rating":"|"rating":\["\d/);
    }
  });

  it("shows the studio's satisfaction to its officers only", async () => {
    const p = await pairing("满意度师傅");
    await p.post(p.leader, { period: "1", view: "按计划进行", rating: "3" });
    await p.post(p.county, { period: "1", view: "同意", rating: "4" });
    const studioOf = async (as: SessionUser) =>
      (await jsonOf(await call(studioPage.loader, { db: t.db, path: `/studios/${p.studio.id}`, params: { studioId: String(p.studio.id) }, as }))).satisfaction;
    expect(await studioOf(p.county)).toEqual({ average: 3.5, count: 2 });
    expect(await studioOf(p.city)).toEqual({ average: 3.5, count: 2 });
    expect(await studioOf(p.leader)).toBeNull();
  });
});
