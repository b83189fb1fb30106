import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { refuse } from "~/lib/result";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { yearParam } from "~/lib/time";
import { SUGGESTED_CHECKLIST } from "~/modules/studios/cycle";
import { cyclePolicySchema } from "~/modules/studios/cycle-schema.server";
import { checklistFor, excellentQuota, saveChecklist } from "~/modules/studios/cycle.server";
import { SUGGESTED_CRITERIA } from "~/modules/studios/evaluation";
import { evaluationBoard, saveCriteria } from "~/modules/studios/evaluation.server";
import { cyclePolicyFor, saveCyclePolicy } from "~/modules/studios/funds.server";
import { checklistFormSchema, criteriaFormSchema } from "./forms.server";
import { EvaluationsPage } from "./page";

export const meta: MetaFunction = () => [{ title: "工作室年度考核 · 匠心" }];

function yearOf(request: Request): number {
  return yearParam(new URL(request.url).searchParams.get("year"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "evaluation.grade");
  const year = yearOf(request);
  const db = getDb();
  const [board, checklist, policy, quota] = await Promise.all([
    evaluationBoard(db, user, year),
    checklistFor(db, year),
    cyclePolicyFor(db, year),
    excellentQuota(db, year),
  ]);
  return json({
    year,
    ...board,
    checklist,
    policy,
    quota,
    canEditCriteria: can(user, "evaluation.criteria"),
    suggested: SUGGESTED_CRITERIA,
    suggestedChecklist: SUGGESTED_CHECKLIST,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "evaluation.grade");
  const year = yearOf(request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent !== "checklist" && intent !== "policy" && intent !== "criteria") return replyUnknownIntent();
  // Each of the three is the city's to set.
  await requirePermission(request, "evaluation.criteria");
  const db = getDb();
  switch (intent) {
    case "checklist":
      return replyStep(intent, formData, checklistFormSchema, (items) => saveChecklist(db, user, year, items));
    case "policy":
      return replyStep(intent, formData, cyclePolicySchema, (policy) =>
        saveCyclePolicy(db, user, year, {
          approvalThresholdFen: policy.approvalThreshold,
          excellentCapPercent: policy.excellentCapPercent,
          reconfirmYears: policy.reconfirmYears,
        }),
      );
    case "criteria":
      return replyStep(intent, formData, criteriaFormSchema, async (rows) => {
        const saved = await saveCriteria(db, user, year, rows);
        return saved.ok ? saved : refuse(saved.message);
      });
  }
}

export default function Evaluations() {
  return <EvaluationsPage {...useLoaderData<typeof loader>()} />;
}
