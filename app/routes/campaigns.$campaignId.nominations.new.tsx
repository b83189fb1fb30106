import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormPage } from "~/components/FormPage";
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
    request,
    createNominationSchema,
    (value) => createNomination(getDb(), user, campaign, { ...value, clearPhone: false }, todayInTaizhou()),
    (saved) => `/nominations/${saved.id}`,
  );
}

export default function NewNomination() {
  const { campaign, countyUnits, nominatingUnits, fixedUnit } = useLoaderData<typeof loader>();
  return (
    <FormPage
      title={`新增推荐：${campaignLabel(campaign.number)}“台州工匠”`}
      back={{ to: `/campaigns/${campaign.id}`, label: campaignLabel(campaign.number) }}
      lead={`按《推荐审批表》填写。推荐截止日期 ${campaign.nomination_deadline}，截止后县级总工会不能再修改。`}
    >
      {(lastResult) => (
        <NominationForm mode="create" lastResult={lastResult} countyUnits={countyUnits} nominatingUnits={nominatingUnits} fixedUnit={fixedUnit} />
      )}
    </FormPage>
  );
}
