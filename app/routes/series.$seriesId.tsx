import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { idParam, notFound } from "~/lib/http.server";
import { seriesOf } from "~/modules/events/events.server";
import { canManageEvent } from "~/modules/events/policy";
import { KIND_LABELS } from "~/modules/events/reach";
import { BackLink } from "~/components/BackLink";

export const meta: MetaFunction = () => [{ title: "系列活动 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const found = await seriesOf(getDb(), idParam(params.seriesId));
  if (!found) throw notFound("系列活动不存在");
  // A series is seen by whoever may organise in its unit; craftsmen reach sessions through their own events.
  if (!canManageEvent(user, { org_unit_id: found.series.org_unit_id, studio_leader_id: null })) {
    throw json({ error: "您无权查看此系列" }, { status: 403 });
  }
  return json(found);
}

export default function Series() {
  const { series, events } = useLoaderData<typeof loader>();
  return (
    <section>
      <BackLink to="/events">交流培训</BackLink>
      <h1>系列活动：{series.title}</h1>
      {series.description ? <p className="lead">{series.description}</p> : null}
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time>{formatDateTime(e.starts_at)}</time> <Link to={`/events/${e.id}`}>{e.title}</Link>（{KIND_LABELS[e.kind]}）
          </li>
        ))}
      </ol>
    </section>
  );
}
