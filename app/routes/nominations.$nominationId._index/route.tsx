import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isCityAdmin, isCraftsman } from "~/auth/roles";
import { forbidden, requirePermission, requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { granted, idParam, notFound } from "~/lib/http.server";
import { replyDone, replyInvalid, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { todayInTaizhou } from "~/lib/time";
import { historyOf } from "~/modules/audit/audit.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { canRecordOpinion, eligibilityOf, nominationForViewer, opinionsOf, quotaWarningFor, recordOpinion } from "~/modules/nominations/nominations.server";
import { canEditNomination, canReview } from "~/modules/nominations/policy";
import {
  acknowledgeQuota,
  addObjection,
  decideQualification,
  expertScoresOf,
  objectionBelongs,
  objectionsOf,
  recordExpertScore,
  resolveObjection,
} from "~/modules/nominations/review.server";
import {
  expertScoreSchema,
  objectionSchema,
  qualificationSchema,
  resolveObjectionSchema,
  revealObjectorSchema,
} from "~/modules/nominations/review-schema.server";
import { opinionSchema } from "~/modules/nominations/schema.server";
import { filingsOf, revealObjector } from "~/modules/voting/notice.server";
import { NominationPage, OPINION_KINDS } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.nomination.name ?? "推荐人选"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const campaign = (await findCampaign(db, nomination.campaign_id))!;
  const officer = !isCraftsman(user);
  const [opinions, history, scores, objections, quotaWarning, filings] = await Promise.all([
    opinionsOf(db, nomination.id),
    officer ? historyOf(db, "nomination", nomination.id) : Promise.resolve([]),
    // Individual experts' scores are the panel's business and the city's: not the nominee's, and not
    // the nominating county's (it would learn who sits on a panel, blind ones included, and their marks).
    isCityAdmin(user) ? expertScoresOf(db, nomination.id) : Promise.resolve([]),
    officer ? objectionsOf(db, nomination.id) : Promise.resolve([]),
    quotaWarningFor(db, nomination),
    // Who filed an online objection, and what they attached, is the city's (the county looks into the content).
    filingsOf(db, user, nomination.id),
  ]);
  const today = todayInTaizhou();
  return json({
    nomination,
    campaign,
    opinions,
    history,
    scores: scores.map((s) => ({ expert: s.expert_name, score: Number(s.score) })),
    objections,
    filings,
    quotaWarning,
    eligibility: eligibilityOf(nomination),
    canEdit: canEditNomination(user, campaign, nomination.nominating_unit_id, today),
    review: canReview(user),
    opinionKinds: OPINION_KINDS.filter((k) => campaign.status !== "closed" && canRecordOpinion(user, k, nomination.nominating_unit_id)),
    officer,
  });
}

/** What a form that did not parse is told above it (each error also stands by its field). */
const CHECK_FORM = "请检查填写的内容";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "opinion") {
    const submission = parseWithZod(formData, { schema: opinionSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: CHECK_FORM });
    const campaign = (await findCampaign(db, nomination.campaign_id))!;
    if (campaign.status === "closed" || !canRecordOpinion(user, submission.value.kind, nomination.nominating_unit_id)) throw forbidden("您无权录入此项意见");
    await recordOpinion(db, user, nomination.id, submission.value);
    return replyDone(intent);
  }

  // Every other intent is review work of the city union.
  await requirePermission(request, "campaign.manage");
  switch (intent) {
    case "acknowledge-quota":
      return replyWith<object>(intent, await acknowledgeQuota(db, user, nomination.id));
    case "qualification":
      return replyStep(intent, formData, qualificationSchema, (value) => decideQualification(db, user, nomination.id, value), { invalid: CHECK_FORM });
    case "expert-score":
      return replyStep(intent, formData, expertScoreSchema, (value) => recordExpertScore(db, user, nomination.id, value), { invalid: CHECK_FORM });
    case "objection":
      return replyStep(intent, formData, objectionSchema, (value) => addObjection(db, user, nomination.id, value), { invalid: CHECK_FORM });
    case "resolve-objection": {
      const submission = parseWithZod(formData, { schema: resolveObjectionSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission, { message: CHECK_FORM });
      if (!(await objectionBelongs(db, nomination.id, submission.value.objectionId))) throw notFound("异议记录不存在");
      return replyWith<object>(intent, await resolveObjection(db, user, submission.value.objectionId, submission.value), { submission });
    }
    case "reveal-objector": {
      await requirePermission(request, "person.reveal");
      const submission = parseWithZod(formData, { schema: revealObjectorSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission, { message: CHECK_FORM });
      const { objectionId, reason } = submission.value;
      const revealed = await revealObjector(db, user, nomination.id, objectionId, reason);
      if (!revealed.ok) throw revealed.status === 404 ? notFound("异议记录不存在") : forbidden("无权查看");
      const reply = replyDone(intent, { data: { objectionId, name: revealed.name, idNumber: revealed.idNumber, phone: revealed.phone } });
      // The objector's identity, once revealed, is kept by no cache.
      reply.headers.set("Cache-Control", "no-store");
      return reply;
    }
    default:
      return replyUnknownIntent();
  }
}

export default function Nomination() {
  return <NominationPage />;
}
