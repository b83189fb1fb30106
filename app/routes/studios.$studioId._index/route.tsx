import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { forbidden, requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { yearInTaizhou } from "~/lib/time";
import { historyOf } from "~/modules/audit/audit.server";
import { isOfficerOf } from "~/auth/relation";
import { reconfirmSchema } from "~/modules/studios/cycle-schema.server";
import { mayReconfirm } from "~/modules/studios/cycle";
import { decideReconfirmation, studioCycleSummary } from "~/modules/studios/cycle.server";
import { evaluationsOf } from "~/modules/studios/evaluation.server";
import { figuresByStudioAndYear } from "~/modules/studios/figures.server";
import { mentorshipsOf } from "~/modules/studios/mentorships.server";
import { canEditStudio, canManageApprentices, studioWorkflow } from "~/modules/studios/policy";
import { studioStepSchema } from "~/modules/studios/schema.server";
import { studioForViewer, takeStudioStep } from "~/modules/studios/studios.server";
import { studioOutcome } from "~/modules/apprentices/outcomes.server";
import { documentChoices } from "~/modules/governance/documents.server";
import { revokeStudio } from "~/modules/governance/revocation.server";
import { studioRevocationSchema } from "~/modules/governance/revocation-schema.server";
import { StudioPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.studio.name ?? "工作室"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const year = yearInTaizhou();
  const [evaluations, mentorships, history, figures, cycle, { satisfaction, ...outcome }] = await Promise.all([
    evaluationsOf(db, studio.id),
    mentorshipsOf(db, studio.id),
    historyOf(db, "studio", studio.id),
    figuresByStudioAndYear(db, [studio.id], [year, year - 1]),
    studioCycleSummary(db, user, studio),
    // The reviews' private ratings, as the studio's average: for the county and the city only.
    studioOutcome(db, studio.id, { ratings: isOfficerOf(user, studio.org_unit_id) }),
  ]);
  const byYear = figures.get(studio.id)!;
  const steps = studioWorkflow.offered(user, studio);
  // 授牌 and 摘牌 each name their decision document: the choices only when one of them is offered.
  const documents = steps.some((s) => s.step === "accredit" || s.step === "revoke") ? await documentChoices(db) : [];
  const { revocationReview, ...summary } = cycle;
  return json({
    studio,
    evaluations: { ...evaluations, revocationReview },
    ...summary,
    canReconfirm: mayReconfirm(user, studio),
    mentorships,
    outcome,
    history,
    figures: [year, year - 1].map((y) => ({ year: y, ...byYear.get(y)! })),
    steps,
    documents,
    canEdit: canEditStudio(user, studio),
    canAddApprentice: canManageApprentices(user, studio),
    satisfaction,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "reconfirm":
      return replyStep("reconfirm", formData, reconfirmSchema, (decision) => decideReconfirmation(db, user, studio, decision));
    case "step":
      // 摘牌 is a revocation (its document, a revocation row): the city's alone, refused to others before the form is read.
      if (formData.get("step") === "revoke") {
        if (!can(user, "revocation.manage")) throw forbidden();
        return replyStep("step", formData, studioRevocationSchema, (input) => revokeStudio(db, user, studio.id, input));
      }
      return replyStep("step", formData, studioStepSchema, ({ step, ...input }) => takeStudioStep(db, user, studio.id, step, input));
    default:
      return replyUnknownIntent();
  }
}

export default function Studio() {
  return <StudioPage {...useLoaderData<typeof loader>()} />;
}
