import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clientAddress } from "~/auth/throttle.server";
import { requirePermission } from "~/auth/session.server";
import { can } from "~/auth/roles";
import { viewedRecord } from "~/auth/guarded-record.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { refuse, type Result } from "~/lib/result";
import { replyDone, replyInvalid, replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { todayInTaizhou } from "~/lib/time";
import { filesOf, readForm } from "~/lib/upload.server";
import { historyOf } from "~/modules/audit/audit.server";
import { availableSteps, canEditApplication, canUploadGraduation, offeredSteps } from "~/modules/subsidies/policy";
import { attachSchema, detachSchema, resolveObjectionSchema, revealObjectorSchema, stepSchema } from "~/modules/subsidies/schema.server";
import { noticeSideOf, resolveSubsidyObjection, revealSubsidyObjector } from "~/modules/subsidies/notice.server";
import { addAttachments, applicationForViewer, attachmentsOf, budgetStatus, removeAttachment, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import { SubsidyPage } from "./page";

export const meta: MetaFunction = () => [{ title: "学历提升补助申请 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, record: app } = await viewedRecord(request, "subsidy.read", applicationForViewer, params.applicationId);
  const db = getDb();
  const steps = availableSteps(user, app);
  const [attachments, history, budget, notice] = await Promise.all([
    attachmentsOf(db, app.id),
    historyOf(db, "subsidy", app.id),
    steps.includes("city_approve") ? budgetStatus(db, app.year) : Promise.resolve(null),
    noticeSideOf(db, user, app),
  ]);
  return json({
    app,
    attachments,
    history,
    budget,
    notice,
    steps: offeredSteps(user, app, notice.upheld),
    canEdit: canEditApplication(user, app),
    canUploadGraduation: canUploadGraduation(user, app),
    city: can(user, "subsidy.notice"),
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
    case "step":
      return replyStep("step", formData, stepSchema, ({ step, ...input }) => takeSubsidyStep(db, user, app.id, step, input));
    case "resolve-objection":
      await requirePermission(request, "subsidy.notice");
      return replyStep("resolve-objection", formData, resolveObjectionSchema, ({ objectionId, ...input }) =>
        resolveSubsidyObjection(db, user, app.id, objectionId, input),
      );
    case "reveal-objector": {
      await requirePermission(request, "subsidy.notice");
      const submission = parseWithZod(formData, { schema: revealObjectorSchema });
      if (submission.status !== "success") return replyInvalid("reveal-objector", submission);
      const { objectionId, reason } = submission.value;
      const revealed = await revealSubsidyObjector(db, user, app.id, objectionId, reason);
      if (!revealed.ok) return replyRefused("reveal-objector", revealed);
      const reply = replyDone("reveal-objector", { data: { objectionId, name: revealed.name, idNumber: revealed.idNumber, phone: revealed.phone } });
      // The objector's identity, once revealed, is kept by no cache.
      reply.headers.set("Cache-Control", "no-store");
      return reply;
    }
    default:
      return replyUnknownIntent();
  }
}

export default function Subsidy() {
  return <SubsidyPage {...useLoaderData<typeof loader>()} />;
}
