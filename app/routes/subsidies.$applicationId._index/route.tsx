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
import { canRevealPersonalData } from "~/modules/people/policy";
import { onPaymentBatch, payeeOf, revealPayee, savePayee } from "~/modules/subsidies/payee.server";
import {
  availableSteps,
  canEditApplication,
  canEditPayee,
  canSeeOtherSchemes,
  canUploadGraduation,
  offeredSteps,
  paymentDue,
} from "~/modules/subsidies/policy";
import {
  attachSchema,
  chsiCheckSchema,
  chsiReportSchema,
  claimSchema,
  detachSchema,
  payeeSchema,
  resolveObjectionSchema,
  revealObjectorSchema,
  revealPayeeSchema,
  stepSchema,
  unclaimSchema,
} from "~/modules/subsidies/schema.server";
import { addOtherClaim, otherClaimsOf, otherSchemesOf, removeOtherClaim } from "~/modules/subsidies/other-schemes.server";
import { chsiCard, enterChsiReport, recordChsiCheck } from "~/modules/subsidies/chsi.server";
import { noticeSideOf, resolveSubsidyObjection, revealSubsidyObjector } from "~/modules/subsidies/notice.server";
import { addAttachments, applicationForViewer, attachmentsOf, budgetStatus, removeAttachment, takeSubsidyStep } from "~/modules/subsidies/subsidies.server";
import { SubsidyPage } from "./page";

export const meta: MetaFunction = () => [{ title: "学历提升补助申请 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, record: app } = await viewedRecord(request, "subsidy.read", applicationForViewer, params.applicationId);
  const db = getDb();
  const steps = availableSteps(user, app);
  const [attachments, history, budget, chsi, claims, otherSchemes, payee, onBatch, notice] = await Promise.all([
    attachmentsOf(db, app.id),
    historyOf(db, "subsidy", app.id),
    steps.includes("city_approve") ? budgetStatus(db, app.year) : Promise.resolve(null),
    chsiCard(db, user, app),
    otherClaimsOf(db, app.id),
    // The lists' matches are the officers' to judge by; the applicant sees what they declared.
    canSeeOtherSchemes(user, app) ? otherSchemesOf(db, app) : Promise.resolve(null),
    payeeOf(db, app.id),
    onPaymentBatch(db, app),
    noticeSideOf(db, user, app),
  ]);
  return json({
    app,
    attachments,
    chsi,
    history,
    budget,
    claims,
    otherSchemes,
    notice,
    steps: offeredSteps(user, app, notice.upheld),
    canEdit: canEditApplication(user, app),
    canUploadGraduation: canUploadGraduation(user, app),
    payee: payee ?? null,
    canEditPayee: canEditPayee(user, app, onBatch),
    canRevealPayee: !!payee && canRevealPersonalData(user),
    paymentDue: paymentDue(app),
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
    case "claim":
      return replyStep("claim", formData, claimSchema, (claim): Promise<Result> => addOtherClaim(db, user, app, claim), {
        invalid: "请检查填写的其他项目补助",
      });
    case "unclaim":
      return replyStep("unclaim", formData, unclaimSchema, ({ claimId }): Promise<Result> => removeOtherClaim(db, user, app, claimId));
    case "chsi-report":
      return replyStep("chsi-report", formData, chsiReportSchema, (input) => enterChsiReport(db, user, app, input));
    case "chsi-check":
      return replyStep("chsi-check", formData, chsiCheckSchema, (input) => recordChsiCheck(db, user, app, input));
    case "step":
      return replyStep("step", formData, stepSchema, ({ step, ...input }) => takeSubsidyStep(db, user, app.id, step, input));
    // The card number is never sent back, saved or refused: the page shows its mask, a refusal asks for it again.
    case "payee":
      return replyStep("payee", formData, payeeSchema, (input) => savePayee(db, user, app, input), { invalid: "请检查标出的项目", hideFields: ["number"] });
    case "reveal-payee": {
      if (!canRevealPersonalData(user)) return replyRefused("reveal-payee", refuse("无权查看", { status: 403 }));
      const submission = parseWithZod(formData, { schema: revealPayeeSchema });
      if (submission.status !== "success") return replyInvalid("reveal-payee", submission);
      const revealed = await revealPayee(db, user, app, submission.value.reason);
      if (!revealed.ok) return replyRefused("reveal-payee", revealed, submission);
      const reply = replyDone("reveal-payee", { submission, data: { number: revealed.number } });
      reply.headers.set("Cache-Control", "no-store");
      return reply;
    }
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
