import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { can, isCountyOfficer } from "~/auth/roles";
import { postedForm } from "~/auth/posted-form.server";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { CHECK_FIELDS, replyInvalid, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { todayInTaizhou } from "~/lib/time";
import { historyOf } from "~/modules/audit/audit.server";
import {
  advanceBlockers,
  advanceCampaign,
  advanceWarnings,
  existingCampaign,
  revertAdvance,
  revertibleStage,
  setNoticePeriod,
  updateCampaign,
} from "~/modules/campaigns/campaigns.server";
import { advanceSchema, campaignSchema, noticePeriodSchema, revertSchema } from "~/modules/campaigns/schema.server";
import { campaignLabel, nextStage } from "~/modules/campaigns/stages";
import { quotaWarning } from "~/modules/nominations/eligibility";
import { unitCounts } from "~/modules/nominations/nominations.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { campaignBasis, documentChoices, setCampaignBasis } from "~/modules/governance/documents.server";
import { basisSchema } from "~/modules/governance/schema.server";
import { CampaignPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? campaignLabel(data.campaign.number) : "评选"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "campaign.read");
  const db = getDb();
  const campaign = await existingCampaign(db, params.campaignId);
  const manage = can(user, "campaign.manage");
  const [counts, units, blockers, warnings, revertTo, history, basis, documents] = await Promise.all([
    unitCounts(db, campaign.id),
    listCountyUnits(db),
    manage ? advanceBlockers(db, campaign) : Promise.resolve([]),
    manage ? advanceWarnings(db, campaign) : Promise.resolve([]),
    manage ? revertibleStage(db, campaign) : Promise.resolve(null),
    manage ? historyOf(db, "campaign", campaign.id) : Promise.resolve([]),
    campaignBasis(db, campaign.id),
    manage ? documentChoices(db) : Promise.resolve([]),
  ]);
  // A county officer sees their own county's line; the city sees every county's.
  const visibleUnits = isCountyOfficer(user) ? units.filter((u) => u.id === user.orgUnitId) : units;
  const perUnit = visibleUnits.map((u) => {
    const count = counts.get(u.id)?.count ?? 0;
    return { id: u.id, name: u.short_name, count, warning: quotaWarning(u.short_name, count, campaign.quota_per_unit) };
  });
  const groups = manage ? [...counts.entries()].filter(([, c]) => c.kind === "social_group").map(([id, c]) => ({ id, name: c.name, count: c.count })) : [];
  return json({
    campaign,
    perUnit,
    groups,
    blockers,
    warnings,
    revertTo,
    history,
    basis,
    documents,
    next: nextStage(campaign.status),
    manage,
    canNominate: canCreateNomination(user, campaign, todayInTaizhou()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, record: campaign, form, intent, db } = await postedForm(request, "campaign.manage", (db) => existingCampaign(db, params.campaignId));
  switch (intent) {
    case "advance": {
      const submission = parseWithZod(form, { schema: advanceSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission);
      const { expected, ...input } = submission.value;
      return replyWith(intent, await advanceCampaign(db, user, campaign.id, expected, input), { submission, resetForm: true });
    }
    case "revert": {
      const submission = parseWithZod(form, { schema: revertSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission);
      return replyWith(intent, await revertAdvance(db, user, campaign.id, submission.value.expected));
    }
    case "update":
      return replyStep(intent, form, campaignSchema, (value) => updateCampaign(db, user, campaign.id, value), { invalid: CHECK_FIELDS });
    case "basis":
      return replyStep(intent, form, basisSchema, ({ documentId }) => setCampaignBasis(db, user, campaign.id, documentId), { message: "已保存命名依据" });
    case "notice-period":
      return replyStep(intent, form, noticePeriodSchema, (period) => setNoticePeriod(db, user, campaign.id, period), { invalid: CHECK_FIELDS });
    default:
      return replyUnknownIntent();
  }
}

export default function CampaignRoute() {
  return <CampaignPage />;
}
