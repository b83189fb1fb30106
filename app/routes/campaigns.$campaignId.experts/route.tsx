import crypto from "node:crypto";
import type { Submission } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { postedForm } from "~/auth/posted-form.server";
import { getDb } from "~/db.server";
import { parseWithZod, submissionErrors } from "~/lib/form.server";
import { replyInvalid, replyRefused, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { existingCampaign, requireCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import {
  assignNominations,
  createPanel,
  expertBoard,
  expertPool,
  panelsOf,
  proposeCandidates,
  remindExperts,
  reopenSheet,
  rubricOf,
  setRubric,
} from "~/modules/experts/experts.server";
import { rankBy } from "~/modules/experts/policy";
import { assignSchema, panelSchema, proposeSchema, rankingQuerySchema, reopenSchema } from "~/modules/experts/schema.server";
import { ExpertsPage } from "./page";

export const meta: MetaFunction = () => [{ title: "专家评审 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaign(request, params.campaignId, "expert.manage");
  const db = getDb();
  const ranking = rankingQuerySchema.parse(new URL(request.url).searchParams.get("by") ?? undefined);
  const [rubric, pool, setup, board] = await Promise.all([rubricOf(db, campaign.id), expertPool(db), panelsOf(db, campaign.id), expertBoard(db, campaign.id)]);
  return json({
    campaign: { id: campaign.id, label: campaignLabel(campaign.number), status: campaign.status },
    rubric,
    pool,
    ...setup,
    experts: board.experts,
    ranked: rankBy(board.nominations, ranking).map((n) => ({ ...n, id: n.nominationId, label: `${n.code} ${n.name}` })),
    ranking,
    // A fresh seed for the next draw, offered by the server so the page shows what will be recorded.
    suggestedSeed: crypto.randomInt(1, 1_000_000),
  });
}

/** The board's forms show one message above them: the first thing to correct. */
function invalid(intent: string, submission: Submission<unknown>) {
  return replyInvalid(intent, submission, { message: submissionErrors(submission)[0] });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, record: campaign, form, intent, db } = await postedForm(request, "expert.manage", (db) => existingCampaign(db, params.campaignId));
  switch (intent) {
    case "rubric":
      return replyWith(intent, await setRubric(db, user, campaign.id), { message: "已按通知的评审条件设定细则" });
    case "panel": {
      const submission = parseWithZod(form, { schema: panelSchema });
      if (submission.status !== "success") return invalid(intent, submission);
      const panel = submission.value;
      const common = { name: panel.name, field: panel.field, blind: panel.blind === "on" };
      const result = await createPanel(
        db,
        user,
        campaign.id,
        panel.mode === "draw" ? { ...common, draw: panel.draw, seed: panel.seed } : { ...common, expertIds: panel.expertIds },
      );
      const warned = result.ok && result.warnings.length ? `：${result.warnings.join("；")}` : "";
      return replyWith(intent, result, { message: result.ok ? `评审组已组建（${result.members.length} 人）${warned}` : undefined });
    }
    case "assign": {
      const submission = parseWithZod(form, { schema: assignSchema });
      if (submission.status !== "success") return invalid(intent, submission);
      const result = await assignNominations(db, user, submission.value.panelId, submission.value.nominationIds);
      return replyWith(intent, result, { message: result.ok ? `已分配；自动提出回避 ${result.recused} 项` : undefined });
    }
    case "reopen": {
      const submission = parseWithZod(form, { schema: reopenSchema });
      if (submission.status !== "success") return invalid(intent, submission);
      const { expertId, nominationId, reason } = submission.value;
      return replyWith(intent, await reopenSheet(db, user, expertId, nominationId, reason), { message: "已退回专家重新评分" });
    }
    case "remind": {
      const result = await remindExperts(db, user, campaign.id);
      return replyWith(intent, result, { message: result.ok ? `已提醒 ${result.reminded} 位专家` : undefined });
    }
    case "propose": {
      const submission = parseWithZod(form, { schema: proposeSchema });
      if (submission.status !== "success") return invalid(intent, submission);
      if (!submission.value.confirmed) return replyRefused(intent, refuse("请确认产生候选对象"), submission);
      return replyWith(intent, await proposeCandidates(db, user, campaign.id, submission.value.by, submission.value.count), { message: "候选对象已产生" });
    }
    default:
      return replyUnknownIntent();
  }
}

export default function CampaignExpertsRoute() {
  return <ExpertsPage />;
}
