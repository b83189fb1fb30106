import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { shareCard, shareMeta } from "~/lib/og";
import { openNotices } from "~/modules/subsidies/notice.server";

export const meta: MetaFunction = (at) =>
  shareMeta("学历提升补助公示", "“台州工匠”学历提升补助批准名单公示，欢迎社会监督。", shareCard("page", "subsidy-notices", "学历提升补助公示"), at);

/** The 公示 of approved subsidies open today, for anyone. */
export async function loader() {
  return json({ notices: await openNotices(getDb()) }, { headers: { "Cache-Control": "no-store" } });
}

export default function SubsidyNotices() {
  const { notices } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>“台州工匠”学历提升补助公示</h1>
      <p className="lead">市总工会批准的学历提升补助在发放前网上公示，公示期内对公示对象有异议的，可在公示页面实名反映。</p>
      {notices.length ? (
        <ul className="card happenings">
          {notices.map((n) => (
            <li key={n.id}>
              <Link to={`/subsidy-notice/${n.id}`}>{n.year}年学历提升补助公示</Link>（{n.starts_on} 至 {n.ends_on}）
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">目前没有正在公示的补助名单。</p>
      )}
    </section>
  );
}
