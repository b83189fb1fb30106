import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can, isCityAdmin } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { searchParams } from "~/lib/http.server";
import { firstError, replyDone, replyInvalid } from "~/lib/reply.server";
import { yearInTaizhou } from "~/lib/time";
import { dashboardSettings, dashboardYears, loadDashboard, savePlan } from "~/modules/dashboard/dashboard.server";
import { dashboardFilterSchema, planSchema } from "~/modules/dashboard/schema.server";
import { yearPlanTotals } from "~/modules/studios/cycle.server";
import { DashboardPage } from "./page";
import { pinnedUnit } from "~/auth/relation";
import { dashboardOutcomes } from "~/modules/apprentices/outcomes.server";

export const meta: MetaFunction = () => [{ title: "数据看板 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard.read");
  const db = getDb();
  const raw = dashboardFilterSchema.parse(searchParams(request));
  const [{ fromYear, toYear }, { units, unitTargets }] = await Promise.all([dashboardYears(db, user, raw), dashboardSettings(db, user)]);
  // The studios' year: plan against actual for the last year shown (this year at most).
  const cycleYear = Math.min(toYear, yearInTaizhou());
  const shownUnit = pinnedUnit(user) ?? raw.unitId ?? null;
  const [board, cycle, mentoring] = await Promise.all([
    loadDashboard(db, user, { fromYear, toYear, unitId: raw.unitId }),
    yearPlanTotals(db, user, cycleYear, shownUnit),
    dashboardOutcomes(db, user, shownUnit),
  ]);
  return json({
    board,
    units,
    // Every unit's target, whatever the view is narrowed to, so saving the plan keeps them all.
    unitTargets,
    filter: { fromYear, toYear, unitId: board.unitId },
    // The city sees the whole city, may narrow it to a unit, and grades the studios' years.
    cityWide: isCityAdmin(user),
    canPlan: can(user, "plan.manage"),
    cycle,
    mentoring,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan.manage");
  const submission = parseWithZod(await request.formData(), { schema: planSchema });
  // The plan's form shows one line under it, not each error by its field.
  if (submission.status !== "success") return replyInvalid("plan", submission, { message: firstError(submission) });
  await savePlan(getDb(), user, submission.value);
  return replyDone("plan", { message: "规划已保存" });
}

export default function Dashboard() {
  return <DashboardPage {...useLoaderData<typeof loader>()} />;
}
