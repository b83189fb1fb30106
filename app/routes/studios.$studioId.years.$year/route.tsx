import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clientAddress } from "~/auth/throttle.server";
import { relationTo, type Relation } from "~/auth/relation";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod, textFields } from "~/lib/form.server";
import { granted, idParam, yearPathParam } from "~/lib/http.server";
import { refuse } from "~/lib/result";
import { replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { filesOf, readForm } from "~/lib/upload.server";
import { draftSelfAssessment, planProgress, studioYearWorkflow, type Plan } from "~/modules/studios/cycle";
import { acceptanceSchema, planSchema, yearStepSchema } from "~/modules/studios/cycle-schema.server";
import {
  acceptancePhotos,
  acceptStudioYear,
  checklistFor,
  evaluationOfYear,
  excellentQuota,
  filePlan,
  findStudioYear,
  reportFigures,
  reportOpen,
  reviewReport,
  submitReport,
} from "~/modules/studios/cycle.server";
import { studioForViewer } from "~/modules/studios/studios.server";
import { reportFormSchema } from "./forms.server";
import { StudioYearPage } from "./page";
import { isRunning } from "~/modules/studios/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.year ?? ""}年度计划与总结 · ${data?.studio.name ?? "工作室"} · 匠心` }];

async function load(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  return { user, db, studio, year: yearPathParam(params.year) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, studio, year } = await load(request, params);
  const row = await findStudioYear(db, studio.id, year);
  const status = row?.status ?? "planned";
  const relation = relationTo(user, studio.org_unit_id, studio.person_id);
  const record = { status, org_unit_id: studio.org_unit_id, person_id: studio.person_id };
  const steps = row ? studioYearWorkflow.offered(user, record) : [];
  const canAccept = steps.some((s) => s.step === "accept");
  const [figures, checklist, photos, evaluation, quota] = await Promise.all([
    reportFigures(db, studio, year),
    canAccept || status === "accepted" ? checklistFor(db, year) : Promise.resolve([]),
    acceptancePhotos(db, studio.id, year),
    evaluationOfYear(db, studio.id, year),
    canAccept ? excellentQuota(db, year) : Promise.resolve(null),
  ]);
  const plan = (row?.plan ?? {}) as Partial<Plan>;
  const running = isRunning(studio.status) && !!studio.accredited_on && Number(studio.accredited_on.slice(0, 4)) <= year;
  return json({
    studio: { id: studio.id, name: studio.name, status: studio.status },
    year,
    row: row
      ? {
          status: row.status,
          summary: row.summary,
          selfAssessment: row.self_assessment,
          outreach: row.outreach,
          reason: row.status_reason,
          planFiled: !!row.plan_filed_at,
        }
      : null,
    status,
    plan,
    progress: planProgress(plan, figures.actual),
    figures,
    draft: row?.self_assessment ?? draftSelfAssessment(plan, figures.actual),
    canPlan: relation === "owner" && running && status === "planned",
    canReport: relation === "owner" && running && reportOpen(year) && (status === "planned" || status === "returned"),
    reviewSteps: steps.filter((s) => s.step === "county_return" || s.step === "county_pass"),
    canAccept,
    checklist,
    photos,
    evaluation,
    quota,
  });
}

/** Whose each form is, before anything in it is read. */
const MAY_ACT: Record<string, Relation> = { plan: "owner", report: "owner", step: "county", accept: "city" };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, db, studio, year } = await load(request, params);
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("accept", refuse(form.message));
  const { formData } = form;
  const intent = formData.get("intent");
  if (typeof intent !== "string" || !Object.hasOwn(MAY_ACT, intent)) return replyUnknownIntent();
  if (relationTo(user, studio.org_unit_id, studio.person_id) !== MAY_ACT[intent]) return replyRefused(intent, refuse("您无权进行此操作", { status: 403 }));
  const invalid = "请检查填写的内容";
  switch (intent) {
    case "plan":
      return replyStep(intent, formData, planSchema, (plan) => filePlan(db, user, studio, year, plan as Plan), { invalid, message: "年度计划已报送。" });
    case "report":
      return replyStep(intent, formData, reportFormSchema, (report) => submitReport(db, user, studio, year, report), {
        invalid,
        message: "年度总结已提交，等待县级总工会审核。",
      });
    case "step": {
      const submission = parseWithZod(formData, { schema: yearStepSchema });
      if (submission.status !== "success" || (submission.value.step !== "county_return" && submission.value.step !== "county_pass"))
        return replyUnknownIntent();
      const { step, ...input } = submission.value;
      return replyWith(intent, await reviewReport(db, user, studio, year, step, input), {
        submission,
        message: step === "county_pass" ? "已审核通过。" : "已退回。",
      });
    }
    default:
      return replyStep(
        intent,
        formData,
        acceptanceSchema,
        async (acceptance) => {
          // The checklist's scores and photos are named by item; a score sent twice is no score.
          const points: Record<string, string> = {};
          const photos: Record<string, Array<{ name: string; bytes: Uint8Array }>> = {};
          for (const [name, value] of Object.entries(textFields(formData)))
            if (name.startsWith("points-")) points[name.slice(7)] = typeof value === "string" ? value : "";
          for (const name of new Set([...formData.keys()].filter((k) => k.startsWith("photo-")))) photos[name.slice(6)] = await filesOf(formData, name);
          return acceptStudioYear(db, user, studio, year, { ...acceptance, points, photos });
        },
        { invalid, message: "验收结果已保存。" },
      );
  }
}

export default function StudioYear() {
  return <StudioYearPage {...useLoaderData<typeof loader>()} />;
}
