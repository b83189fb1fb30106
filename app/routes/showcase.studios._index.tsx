import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/Pagination";
import { ShowcaseSearch } from "~/components/ShowcaseSearch";
import { publicPageHeaders } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { searchParams, loaderHeaders } from "~/lib/http.server";
import { shareMeta } from "~/lib/og";
import { publicListPage, publicStudios } from "~/modules/showcase/showcase.server";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

export const meta: MetaFunction = (at) => shareMeta("工匠工作室", "以台州工匠个人名字命名的工作室，发挥“1+N”育人效应。", at);

export const headers = loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await publicListPage(getDb(), searchParams(request), publicStudios), { headers: publicPageHeaders(request) });
}

export default function PublicStudios() {
  const { rows, total, page, pageSize, filter, units, industries } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="page-head">
        <h1>工匠工作室</h1>
        <Link className="button" to="/showcase">
          工匠风采
        </Link>
      </div>
      <ShowcaseSearch filter={filter} units={units} industries={industries} placeholder="工作室、企业或行业" />
      {rows.length === 0 ? <p className="empty">没有找到符合条件的工作室。</p> : null}
      <ul className="profile-grid">
        {rows.map((s) => (
          <li key={s.id} className="card">
            <h2>
              <Link to={`/showcase/studios/${s.id}`}>{s.name}</Link>
            </h2>
            <p className="small">
              {s.host_enterprise} · {s.unit_name}
            </p>
            <p className="small">
              {s.industry} · {FOCUS_SECTOR_LABELS[s.focus_sector]} · 在带学徒 {s.apprentices} 人
            </p>
          </li>
        ))}
      </ul>
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
