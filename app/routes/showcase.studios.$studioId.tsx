import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CoverageList } from "~/components/CoverageList";
import { publicPageHeaders } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDate } from "~/lib/format";
import { idParam, notFound, loaderHeaders } from "~/lib/http.server";
import { shareCard, shareMeta } from "~/lib/og";
import { KIND_LABELS } from "~/modules/events/reach";
import { publicStudio, revokedStudio } from "~/modules/showcase/showcase.server";
import { BackLink } from "~/components/BackLink";
import { RevokedNotice } from "~/components/RevokedNotice";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import { StudioTitleBasis } from "~/components/TitleBasis";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data?.revoked
    ? [{ title: `${data.revoked.name}（已撤销）` }]
    : data?.studio
      ? shareMeta(
          data.studio.name,
          `${data.studio.host_enterprise}，主攻${data.studio.focus_areas.slice(0, 60)}`,
          shareCard("studio", data.studio.id, `${data.studio.name}，${data.studio.host_enterprise}`),
          at,
        )
      : [{ title: "工匠工作室" }];

export const headers = loaderHeaders;

/** The plaque's QR target: a public studio, or — once revoked — a page saying so, kept at most a minute like every public page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const id = idParam(params.studioId);
  const studio = await publicStudio(db, id);
  const revoked = studio ? null : await revokedStudio(db, id);
  if (!studio && !revoked) throw notFound("未找到该工作室");
  return json({ studio, revoked }, { headers: publicPageHeaders(request) });
}

export default function PublicStudio() {
  const { studio: s, revoked } = useLoaderData<typeof loader>();
  if (!s) return revoked ? <RevokedStudio {...revoked} /> : null;
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

function RevokedStudio(r: { name: string; plaque_number: string | null; revoked_on: string; document_number: string; document_issuer: string }) {
  return (
    <section className="narrow">
      <BackLink to="/showcase/studios">工匠工作室</BackLink>
      <h1>{r.name}</h1>
      <RevokedNotice
        what={`“${r.name}”${r.plaque_number ? `（牌匾编号 ${r.plaque_number}）` : ""}`}
        issuer={r.document_issuer}
        documentNumber={r.document_number}
        revokedOn={r.revoked_on}
      />
    </section>
  );
}
