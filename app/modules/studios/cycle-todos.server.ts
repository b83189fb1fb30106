import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { reconfirmationPeriods } from "~/modules/studios/cycle";
import { RUNNING_STATUSES } from "~/modules/studios/policy";
import { needsRevocationReview } from "~/modules/studios/evaluation";
import { checklistFor } from "~/modules/studios/cycle.server";
import { cyclePolicyFor } from "~/modules/studios/funds.server";

/**
 * What a studio's money and year ask of each person next, as to-do items: the county reviews
 * reports and approves spending above the threshold, the city runs 验收, re-confirmation and the
 * revocation review, the leader files the plan and the report (and corrects what came back).
 * `review` names whose review window applies; the to-do list sets the dates.
 */
export interface CycleTodo {
  label: string;
  link: string;
  since: Date | string;
  due?: string;
  review?: "county" | "city";
}

const yearLink = (studioId: number, year: number) => `/studios/${studioId}/years/${year}`;

/** January to March: the year just ended is reported on; the new year's plan is due. */
const inReportSeason = (today: string) => today.slice(5) <= "03-31";

export async function studioCycleTodos(db: DB, user: SessionUser, today: string): Promise<CycleTodo[]> {
  const year = Number(today.slice(0, 4));
  const reports = (status: "submitted" | "county_passed" | "returned") =>
    db
      .selectFrom("studio_year as sy")
      .innerJoin("studio", "studio.id", "sy.studio_id")
      .select(["studio.id", "studio.name", "sy.year", "sy.status_reason", "sy.updated_at as since"])
      .where("sy.status", "=", status)
      .where("studio.status", "in", [...RUNNING_STATUSES]);
  switch (user.role) {
    case "county_officer": {
      const [submitted, spending] = await Promise.all([
        reports("submitted").where("studio.org_unit_id", "=", user.orgUnitId).execute(),
        db
          .selectFrom("studio_spending as x")
          .innerJoin("studio", "studio.id", "x.studio_id")
          .select(["studio.id", "studio.name", "x.amount_fen", "x.created_at as since"])
          .where("x.status", "=", "pending")
          .where("studio.org_unit_id", "=", user.orgUnitId)
          .execute(),
      ]);
      return [
        ...submitted.map((r) => ({ label: `审核${r.year}年度总结：${r.name}`, link: yearLink(r.id, r.year), since: r.since, review: "county" as const })),
        ...spending.map((s) => ({ label: `审批经费支出：${s.name}`, link: `/studios/${s.id}/funds`, since: s.since, review: "county" as const })),
      ];
    }
    case "city_admin": {
      const [passed, running, grades, decided] = await Promise.all([
        reports("county_passed").execute(),
        db
          .selectFrom("studio")
          .select(["id", "name", "accredited_on", "updated_at"])
          .where("status", "in", [...RUNNING_STATUSES])
          .where("accredited_on", "is not", null)
          .execute(),
        db.selectFrom("studio_evaluation").select(["studio_id", "year", "grade", "graded_at"]).execute(),
        db.selectFrom("studio_reconfirmation").select(["studio_id", "period_end", "outcome"]).execute(),
      ]);
      const items: CycleTodo[] = passed.map((r) => ({ label: `验收${r.year}年度：${r.name}`, link: yearLink(r.id, r.year), since: r.since, review: "city" }));
      const years = [...new Set(passed.map((r) => r.year))];
      for (const y of years) {
        if (!(await checklistFor(db, y)).length) items.push({ label: `设定${y}年度验收清单`, link: `/evaluations?year=${y}`, since: `${y + 1}-01-01` });
      }
      const { reconfirmYears } = await cyclePolicyFor(db, year);
      for (const s of running) {
        const own = grades.filter((g) => g.studio_id === s.id);
        if (needsRevocationReview(own) && !decided.some((d) => d.studio_id === s.id && d.outcome === "declined")) {
          const last = own.filter((g) => g.grade === "fail").sort((a, b) => b.year - a.year)[0];
          items.push({ label: `摘牌审查：${s.name}连续两年考核不合格`, link: `/studios/${s.id}`, since: last.graded_at, review: "city" });
        }
        for (const p of reconfirmationPeriods(Number(s.accredited_on!.slice(0, 4)), reconfirmYears, year - 1)) {
          if (decided.some((d) => d.studio_id === s.id && d.period_end === p.to)) continue;
          items.push({ label: `重新确认：${s.name}（${p.from}–${p.to}年）`, link: `/studios/${s.id}#reconfirm`, since: `${p.to + 1}-01-01`, review: "city" });
        }
      }
      return items;
    }
    case "craftsman": {
      const own = await db
        .selectFrom("studio")
        .leftJoin("studio_year as last", (j) => j.onRef("last.studio_id", "=", "studio.id").on("last.year", "=", year - 1))
        .leftJoin("studio_year as now", (j) => j.onRef("now.studio_id", "=", "studio.id").on("now.year", "=", year))
        .select(["studio.id", "studio.name", "studio.accredited_on", "last.status as last_status", "now.status as now_status"])
        .where("studio.person_id", "=", user.personId)
        .where("studio.status", "in", ["accredited", "active"])
        .execute();
      const returned = await reports("returned").where("studio.person_id", "=", user.personId).execute();
      const items: CycleTodo[] = returned.map((r) => ({
        label: `修改${r.year}年度总结${r.status_reason ? `：${r.status_reason}` : ""}`,
        link: yearLink(r.id, r.year),
        since: r.since,
      }));
      if (!inReportSeason(today)) return items;
      for (const s of own) {
        const since = Number(s.accredited_on?.slice(0, 4) ?? 9999);
        if (since <= year - 1 && (!s.last_status || s.last_status === "planned")) {
          items.push({ label: `报送${year - 1}年度总结`, link: yearLink(s.id, year - 1), since: `${year}-01-01`, due: `${year}-03-31` });
        }
        if (since <= year && !s.now_status) {
          items.push({ label: `报送${year}年度计划`, link: yearLink(s.id, year), since: `${year}-01-01`, due: `${year}-03-31` });
        }
      }
      return items;
    }
    case "expert":
    case "apprentice":
      return [];
  }
}
