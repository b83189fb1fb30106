import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { listCampaigns } from "~/modules/campaigns/campaigns.server";
import { STAGE_LABELS } from "~/modules/campaigns/stages";
import { CampaignYearLink } from "~/components/CampaignYearLink";
import { DataTable } from "~/components/DataTable";

export const meta: MetaFunction = () => [{ title: "评选活动 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "campaign.read");
  return json({ campaigns: await listCampaigns(getDb()), canManage: can(user, "campaign.manage") });
}

export default function Campaigns() {
  const { campaigns, canManage } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="page-head">
        <h1>“台州工匠”评选活动</h1>
        {canManage ? (
          <Link className="button primary" to="/campaigns/new">
            新建一届
          </Link>
        ) : null}
      </div>
      <DataTable
        rows={campaigns}
        empty="还没有评选活动。"
        columns={[
          { label: "届次", cell: (c) => <CampaignYearLink to={`/campaigns/${c.id}`} number={c.number} year={c.year} /> },
          { label: "名称", cell: (c) => c.title },
          { label: "推荐截止", cell: (c) => c.nomination_deadline },
          { label: "阶段", cell: (c) => <span className="badge">{STAGE_LABELS[c.status]}</span> },
          { label: "推荐人数", cell: (c) => c.nominations, num: true },
          { label: "命名", cell: (c) => c.awards, num: true },
        ]}
      />
    </section>
  );
}
