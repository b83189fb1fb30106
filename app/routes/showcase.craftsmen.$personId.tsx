import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CoverageList } from "~/components/CoverageList";
import { publicPageHeaders } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { qrSvg } from "~/lib/qr.server";
import { QrCode } from "~/components/QrCode";
import { idParam, notFound, loaderHeaders } from "~/lib/http.server";
import { shareCard, shareMeta } from "~/lib/og";
import { publicProfile } from "~/modules/showcase/showcase.server";
import { publicHonours } from "~/modules/honours/honours.server";
import { HONOUR_LEVEL_LABELS } from "~/modules/honours/labels";
import { PrintButton } from "~/components/PrintButton";
import { TitleBasis } from "~/components/TitleBasis";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data
    ? shareMeta(
        data.profile.name,
        `${data.profile.award_title}，${data.profile.employer}。${data.profile.story.slice(0, 80)}`,
        shareCard("craftsman", data.profile.id, `${data.profile.name}，${data.profile.award_title}`),
        at,
      )
    : [{ title: "台州工匠" }];

export const headers = loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const personId = idParam(params.personId);
  const [profile, honours] = await Promise.all([publicProfile(db, personId), publicHonours(db, personId)]);
  if (!profile) throw notFound("未找到该工匠的公开信息");
  // A share code for posters and WeChat groups: this page's own address.
  const address = new URL(`/showcase/craftsmen/${profile.id}`, request.url).toString();
  return json({ profile, honours, address, qr: await qrSvg(address) }, { headers: publicPageHeaders(request) });
}

export default function CraftsmanProfile() {
  const { profile: p, honours, address, qr } = useLoaderData<typeof loader>();
  return (
    <section className="profile">
      <p className="no-print">
        <Link to="/showcase">← 工匠风采</Link>
      </p>
      <div className="profile-head">
        {p.has_photo ? <img src={`/showcase/photos/${p.id}`} alt={`${p.name}的照片`} /> : null}
        <div>
          <h1>{p.name}</h1>
          {p.awards.map((a) => (
            <div key={a.certificate_number}>
              <p className="badge ok">
                {a.award_title}（{a.campaign_year}）
              </p>
              <TitleBasis basis={a.basis} act="命名" />
            </div>
          ))}
          <p>
            {p.employer} · {p.industry} · {p.skill_level}
            {p.professional_title ? ` · ${p.professional_title}` : ""} · {p.unit_name}
          </p>
        </div>
      </div>
      <div className="card">
        <h2>工匠事迹</h2>
        <p className="pre">{p.story}</p>
      </div>
      {honours.length ? (
        <div className="card">
          <h2>所获荣誉</h2>
          <ul className="timeline">
            {honours.map((h) => (
              <li key={h.id}>
                {h.year}年 · {HONOUR_LEVEL_LABELS[h.level]} · {h.title}（{h.conferred_by}）
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {p.studio ? (
        <div className="card">
          <h2>工匠工作室</h2>
          <p>
            <Link to={`/showcase/studios/${p.studio.id}`}>{p.studio.name}</Link>（{p.studio.host_enterprise}）
          </p>
        </div>
      ) : null}
      <CoverageList items={p.coverage} />
      <div className="card share">
        <QrCode svg={qr} label={`${p.name}的主页二维码`} />
        <p className="small">
          扫码或转发分享：<span className="mono">{address}</span>
        </p>
      </div>
      <p className="no-print">
        <PrintButton label="打印个人简介" />
      </p>
    </section>
  );
}
