import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clientAddress } from "~/auth/throttle.server";
import { viewedRecord } from "~/auth/guarded-record.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { refuse, type Result } from "~/lib/result";
import { replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { todayInTaizhou } from "~/lib/time";
import { filesOf, readForm } from "~/lib/upload.server";
import { historyOf } from "~/modules/audit/audit.server";
import { availableSteps, canEditApplication, canUploadGraduation, subsidyWorkflow } from "~/modules/subsidies/policy";
import { attachSchema, chsiCheckSchema, chsiReportSchema, detachSchema, stepSchema } from "~/modules/subsidies/schema.server";
import { chsiCard, enterChsiReport, recordChsiCheck } from "~/modules/subsidies/chsi.server";
import { addAttachments, applicationForViewer, attachmentsOf, budgetStatus, removeAttachment, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import { SubsidyPage } from "./page";

export const meta: MetaFunction = () => [{ title: "学历提升补助申请 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, record: app } = await viewedRecord(request, "subsidy.read", applicationForViewer, params.applicationId);
  const db = getDb();
  const steps = availableSteps(user, app);
  const [attachments, history, budget, chsi] = await Promise.all([
    attachmentsOf(db, app.id),
    historyOf(db, "subsidy", app.id),
    steps.includes("city_approve") ? budgetStatus(db, app.year) : Promise.resolve(null),
    chsiCard(db, user, app),
  ]);
  return json({
    app,
    attachments,
    chsi,
    history,
    budget,
    steps: subsidyWorkflow.offered(user, app),
    canEdit: canEditApplication(user, app),
    canUploadGraduation: canUploadGraduation(user, app),
    today: todayInTaizhou(),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, record: app } = await viewedRecord(request, "subsidy.read", applicationForViewer, params.applicationId);
  const db = getDb();
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("attach", refuse(form.message));
  const { formData } = form;
  switch (formData.get("intent")) {
    case "attach": {
      const submission = parseWithZod(formData, { schema: attachSchema });
      if (submission.status !== "success") return replyUnknownIntent();
      const files = await filesOf(formData, "files");
      const attached: Result = await addAttachments(db, user, app, submission.value.kind, files);
      return replyWith("attach", attached, { submission });
    }
    case "detach":
      return replyStep("detach", formData, detachSchema, ({ attachmentId }): Promise<Result> => removeAttachment(db, user, app, attachmentId));
    case "chsi-report":
      return replyStep("chsi-report", formData, chsiReportSchema, (input) => enterChsiReport(db, user, app, input));
    case "chsi-check":
      return replyStep("chsi-check", formData, chsiCheckSchema, (input) => recordChsiCheck(db, user, app, input));
    case "step":
      return replyStep("step", formData, stepSchema, ({ step, ...input }) => takeSubsidyStep(db, user, app.id, step, input));
    default:
      return replyUnknownIntent();
  }
}

export default function Subsidy() {
  return <SubsidyPage {...useLoaderData<typeof loader>()} />;
}
