import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { createAction } from "~/auth/create-action.server";
import { requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { CampaignForm } from "~/components/CampaignForm";
import { getDb } from "~/db.server";
import { createCampaign, nextCampaignNumber } from "~/modules/campaigns/campaigns.server";
import { campaignSchema } from "~/modules/campaigns/schema.server";
import { awardTitle } from "~/modules/campaigns/stages";

export const meta: MetaFunction = () => [{ title: "新建评选 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "campaign.manage");
  const { number, year } = await nextCampaignNumber(getDb());
  return json({
    defaults: {
      number: String(number),
      year: String(year),
      title: `${awardTitle(number)}选树活动`,
      nominationDeadline: `${year}-03-31`,
      quotaPerUnit: "5",
      titleCount: "20",
    },
  });
}

export const action = (args: ActionFunctionArgs) => createAction(args, "campaign.manage", campaignSchema, createCampaign, (saved) => `/campaigns/${saved.id}`);

export default function NewCampaign() {
  const { defaults } = useLoaderData<typeof loader>();
  return <FormPage title="新建一届评选">{(lastResult) => <CampaignForm lastResult={lastResult} defaultValue={defaults} />}</FormPage>;
}
