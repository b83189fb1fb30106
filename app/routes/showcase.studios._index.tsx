import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ShowcaseList } from "~/components/ShowcaseList";
import { publicPageHeaders } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { searchParams, loaderHeaders } from "~/lib/http.server";
import { shareCard, shareMeta } from "~/lib/og";
import { publicListPage, publicStudios } from "~/modules/showcase/showcase.server";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

export const meta: MetaFunction = (at) =>
  shareMeta("工匠工作室", "以台州工匠个人名字命名的工作室，发挥“1+N”育人效应。", shareCard("page", "studios", "工匠工作室"), at);

export const headers = loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await publicListPage(getDb(), searchParams(request), publicStudios), { headers: publicPageHeaders(request) });
}

export default function PublicStudios() {
  return (
    <ShowcaseList
      list={useLoaderData<typeof loader>()}
      title="工匠工作室"
      other={{ to: "/showcase", label: "工匠风采" }}
      placeholder="工作室、企业或行业"
      empty="没有找到符合条件的工作室。"
    >
      {(s) => (
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
      )}
    </ShowcaseList>
  );
}
