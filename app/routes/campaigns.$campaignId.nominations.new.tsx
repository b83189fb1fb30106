import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { NominationForm } from "~/components/NominationForm";
import { getDb } from "~/db.server";
import { requireCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { createNomination } from "~/modules/nominations/nominations.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import { createNominationSchema } from "~/modules/nominations/schema.server";
import { nominationFormUnits } from "~/modules/nominations/units.server";
import { submitForm } from "~/lib/reply.server";
import { useReply } from "~/components/useReply";

export const meta: MetaFunction = () => [{ title: "新增推荐 · 匠心" }];

async function load(request: Request, campaignId: string | undefined) {
  const { user, campaign } = await requireCampaign(request, campaignId, "nomination.create");
  if (!canCreateNomination(user, campaign, todayInTaizhou())) {
    throw json({ error: "推荐申报已截止或本届评选已结束，不能再新增推荐" }, { status: 403 });
  }
  return { user, campaign };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, campaign } = await load(request, params.campaignId);
  return json({ campaign, ...(await nominationFormUnits(getDb(), user)) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, campaign } = await load(request, params.campaignId);
  return submitForm(
    await request.formData(),
    createNominationSchema,
    (value) => createNomination(getDb(), user, campaign, { ...value, clearPhone: false }, todayInTaizhou()),
    (saved) => `/nominations/${saved.id}`,
  );
}

export default function NewNomination() {
  const { campaign, countyUnits, nominatingUnits, fixedUnit } = useLoaderData<typeof loader>();
  const lastResult = useReply("save")?.form;
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}`}>← {campaignLabel(campaign.number)}</Link>
      </p>
      <h1>新增推荐：{campaignLabel(campaign.number)}“台州工匠”</h1>
      <p className="lead">按《推荐审批表》填写。推荐截止日期 {campaign.nomination_deadline}，截止后县级总工会不能再修改。</p>
      <NominationForm mode="create" lastResult={lastResult} countyUnits={countyUnits} nominatingUnits={nominatingUnits} fixedUnit={fixedUnit} />
    </section>
  );
}
