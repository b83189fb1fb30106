import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ShowcaseList } from "~/components/ShowcaseList";
import { publicPageHeaders } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { searchParams, loaderHeaders } from "~/lib/http.server";
import { shareCard, shareMeta } from "~/lib/og";
import { publicListPage, publicCraftsmen } from "~/modules/showcase/showcase.server";

export const meta: MetaFunction = (at) =>
  shareMeta("工匠风采", "台州市总工会命名的历届“台州工匠”：一线职工也能成名成才。", shareCard("page", "showcase", "台州工匠风采"), at);

export const headers = loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await publicListPage(getDb(), searchParams(request), publicCraftsmen), { headers: publicPageHeaders(request) });
}

export default function Showcase() {
  return (
    <ShowcaseList
      list={useLoaderData<typeof loader>()}
      title="台州工匠风采"
      other={{ to: "/showcase/studios", label: "工匠工作室" }}
      lead="一线职工也能成名成才，一线职工也能成就职业梦想。"
      placeholder="姓名、企业或行业"
      empty="没有找到符合条件的工匠。"
    >
      {(c) => (
        <li key={`${c.id}-${c.campaign_number}`} className="card profile-card">
          {c.has_photo ? (
            <img src={`/showcase/photos/${c.id}?size=thumb`} alt={`${c.name}的照片`} loading="lazy" />
          ) : (
            <div className="photo-placeholder" aria-hidden>
              匠
            </div>
          )}
          <div>
            <h2>
              <Link to={`/showcase/craftsmen/${c.id}`}>{c.name}</Link>
            </h2>
            <p className="small">{c.award_title}</p>
            <p className="small">
              {c.employer} · {c.industry} · {c.unit_name}
            </p>
            {c.story_excerpt ? <p className="small">{c.story_excerpt}…</p> : null}
          </div>
        </li>
      )}
    </ShowcaseList>
  );
}
