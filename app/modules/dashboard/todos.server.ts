import { todosOf } from "~/modules/notifications/sources";

/** The studio plan's window is over: the dashboard measures against nothing until the next plan. */
export const planToRenew = todosOf("city_admin", async (db, _u, now) => {
  const plan = await db.selectFrom("studio_plan").select(["start_year", "end_year"]).where("id", "=", 1).executeTakeFirstOrThrow();
  if (Number(now.today.slice(0, 4)) <= plan.end_year) return [];
  return [{ label: `制定下一期工作室建设规划（${plan.start_year}–${plan.end_year}年规划期已结束）`, link: "/dashboard", since: `${plan.end_year + 1}-01-01` }];
});
