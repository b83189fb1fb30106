import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { listCampaigns } from "~/modules/campaigns/campaigns.server";
import { campaignLabel, STAGE_LABELS } from "~/modules/campaigns/stages";

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
      {campaigns.length === 0 ? (
        <p className="empty">还没有评选活动。</p>
      ) : (
        <div className="table-wrap">
          <table className="table responsive">
            <thead>
              <tr>
                <th>届次</th>
                <th>名称</th>
                <th>推荐截止</th>
                <th>阶段</th>
                <th className="num">推荐人数</th>
                <th className="num">命名</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <td data-label="届次">
                    <Link to={`/campaigns/${c.id}`}>
                      {campaignLabel(c.number)}（{c.year}）
                    </Link>
                  </td>
                  <td data-label="名称">{c.title}</td>
                  <td data-label="推荐截止">{c.nomination_deadline}</td>
                  <td data-label="阶段">
                    <span className="badge">{STAGE_LABELS[c.status]}</span>
                  </td>
                  <td data-label="推荐人数" className="num">
                    {c.nominations}
                  </td>
                  <td data-label="命名" className="num">
                    {c.awards}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
