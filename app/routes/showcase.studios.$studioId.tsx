import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CoverageList } from "~/components/CoverageList";
import { publicPageHeaders } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDate } from "~/lib/format";
import { idParam, notFound, loaderHeaders } from "~/lib/http.server";
import { shareMeta } from "~/lib/og";
import { KIND_LABELS } from "~/modules/events/reach";
import { publicStudio } from "~/modules/showcase/showcase.server";
import { BackLink } from "~/components/BackLink";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import { StudioTitleBasis } from "~/components/TitleBasis";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data ? shareMeta(data.studio.name, `${data.studio.host_enterprise}，主攻${data.studio.focus_areas.slice(0, 60)}`, at) : [{ title: "工匠工作室" }];

export const headers = loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const studio = await publicStudio(getDb(), idParam(params.studioId));
  if (!studio) throw notFound("未找到该工作室");
  return json({ studio }, { headers: publicPageHeaders(request) });
}

export default function PublicStudio() {
  const { studio: s } = useLoaderData<typeof loader>();
  return (
    <section>
      <BackLink to="/showcase/studios">工匠工作室</BackLink>
      <h1>{s.name}</h1>
      <dl className="facts card">
        <dt>依托企业</dt>
        <dd>{s.host_enterprise}</dd>
        <dt>所在地</dt>
        <dd>{s.unit_name}</dd>
        <dt>领域</dt>
        <dd>
          {s.industry} · {FOCUS_SECTOR_LABELS[s.focus_sector]}
        </dd>
        <dt>主攻方向</dt>
        <dd className="pre">{s.focus_areas}</dd>
        <dt>授牌</dt>
        <dd>
          {s.plaque_number}（{s.accredited_on}）
          <StudioTitleBasis basis={s.basis} />
        </dd>
        <dt>在带学徒</dt>
        <dd>{s.apprentices} 人</dd>
        {s.leader_id ? (
          <>
            <dt>领衔工匠</dt>
            <dd>
              <Link to={`/showcase/craftsmen/${s.leader_id}`}>查看工匠简介</Link>
            </dd>
          </>
        ) : null}
      </dl>
      {s.events.length ? (
        <div className="card">
          <h2>近期活动</h2>
          <ul className="timeline">
            {s.events.map((e) => (
              <li key={e.id}>
                <time>{formatDate(e.starts_at)}</time> {e.title}（{KIND_LABELS[e.kind]}）
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <CoverageList items={s.coverage} />
    </section>
  );
}
