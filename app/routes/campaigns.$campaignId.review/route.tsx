import type { Submission } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { postedForm } from "~/auth/posted-form.server";
import { getDb } from "~/db.server";
import { parseWithZod, submissionErrors } from "~/lib/form.server";
import { replyDone, replyRefused, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { existingCampaign, requireCampaign } from "~/modules/campaigns/campaigns.server";
import { stepOpen } from "~/modules/nominations/policy";
import {
  acknowledgeUnitQuota,
  awardsOf,
  listObjections,
  nameAwardees,
  namingPreview,
  passClearCases,
  recordExpertScores,
  recordVotes,
  rankingFormula,
  reviewBoard,
  selectCandidates,
  unitsOverQuota,
  type UnitOverQuota,
} from "~/modules/nominations/review.server";
import { candidatesSchema, namingSchema, scoresSchema, unitQuotaSchema, votesSchema } from "~/modules/nominations/review-schema.server";
import { ReviewPage } from "./page";

export const meta: MetaFunction = () => [{ title: "评审与命名 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaign(request, params.campaignId, "campaign.manage");
  const db = getDb();
  const [board, objections, awards, formula, overQuota] = await Promise.all([
    reviewBoard(db, campaign.id),
    listObjections(db, campaign.id),
    awardsOf(db, campaign.id),
    rankingFormula(db, campaign.id),
    stepOpen(campaign, "qualification") ? unitsOverQuota(db, campaign) : ([] as UnitOverQuota[]),
  ]);
  const experts = [...new Set(board.flatMap((b) => b.scores.map((s) => s.expert)))].sort();
  return json({ campaign, board, experts, objections, awards, formula, overQuota, today: todayInTaizhou() });
}

/** The review's forms are tables: every wrong entry is listed under the table, at once. */
function refusedEntries(intent: string, submission: Submission<unknown>) {
  const errors = submissionErrors(submission);
  return replyRefused(intent, refuse(errors[0] ?? "请检查填写的内容", { reasons: errors }), submission);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, record: campaign, form, intent, db } = await postedForm(request, "campaign.manage", (db) => existingCampaign(db, params.campaignId));
  switch (intent) {
    case "candidates": {
      const submission = parseWithZod(form, { schema: candidatesSchema });
      if (submission.status !== "success") return refusedEntries(intent, submission);
      return replyWith(intent, await selectCandidates(db, user, campaign.id, submission.value.count));
    }
    case "pass-clear":
      return replyWith(intent, await passClearCases(db, user, campaign.id), { data: (done) => ({ passed: done.passed ?? 0, held: done.held ?? [] }) });
    case "acknowledge-unit-quota": {
      const submission = parseWithZod(form, { schema: unitQuotaSchema });
      if (submission.status !== "success") return refusedEntries(intent, submission);
      const result = await acknowledgeUnitQuota(db, user, campaign.id, submission.value.unitId);
      return replyWith(intent, result, { data: (done) => ({ acknowledged: done.acknowledged ?? 0 }) });
    }
    case "scores": {
      const submission = parseWithZod(form, { schema: scoresSchema });
      if (submission.status !== "success") return refusedEntries(intent, submission);
      return replyWith(intent, await recordExpertScores(db, user, campaign.id, submission.value.expertName, submission.value.scores));
    }
    case "votes": {
      const submission = parseWithZod(form, { schema: votesSchema });
      if (submission.status !== "success") return refusedEntries(intent, submission);
      return replyWith(intent, await recordVotes(db, user, campaign.id, submission.value.votes, submission.value.source));
    }
    case "name": {
      const submission = parseWithZod(form, { schema: namingSchema });
      if (submission.status !== "success") return refusedEntries(intent, submission);
      const { namedOn, confirmed, ranking, ranks } = submission.value;
      if (confirmed) return replyWith(intent, await nameAwardees(db, user, campaign.id, { ranking, namedOn, confirmed }));
      // First the names, titles and certificate numbers it will issue; naming waits for the second press.
      const preview = await namingPreview(db, campaign, ranking);
      if (!preview.ok) return replyRefused(intent, preview);
      return replyDone(intent, { data: { preview: { awards: preview.awards, namedOn, ranks } } });
    }
    default:
      return replyUnknownIntent();
  }
}

export default function ReviewRoute() {
  return <ReviewPage />;
}
