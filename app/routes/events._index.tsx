import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { isCityAdmin, isCraftsman } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { searchParams } from "~/lib/http.server";
import { listEvents, organiserOptions } from "~/modules/events/events.server";
import { CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import { eventFilterSchema } from "~/modules/events/schema.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { UnitFilter } from "~/components/UnitFilter";
import { ChoiceFilter, FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";

export const meta: MetaFunction = () => [{ title: "交流培训 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const db = getDb();
  const filter = eventFilterSchema.parse(searchParams(request));
  const [result, organisers, units] = await Promise.all([
    listEvents(db, user, filter),
    organiserOptions(db, user),
    isCityAdmin(user) ? listCountyUnits(db) : Promise.resolve([]),
  ]);
  return json({ ...result, filter, units, canOrganise: organisers.options.length > 0, canCheckIn: isCraftsman(user) });
}

export default function Events() {
  const { rows, total, page, pageSize, filter, units, canOrganise, canCheckIn } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <section>
      <div className="page-head">
        <h1>交流培训</h1>
        <div className="actions">
          {canCheckIn ? (
            <Link className="button primary" to="/checkin">
              扫码/输码签到
            </Link>
          ) : null}
          {canOrganise ? (
            <Link className="button primary" to="/events/new">
              组织活动
            </Link>
          ) : null}
          <DownloadLink className="button" href={`/events/export${location.search}`}>
            导出
          </DownloadLink>
        </div>
      </div>
      <FilterBar>
        <InputFilter label="起" name="from" value={filter.from} type="date" />
        <InputFilter label="止" name="to" value={filter.to} type="date" />
        <ChoiceFilter label="类型" name="kind" value={filter.kind} choices={KIND_LABELS} />
        <UnitFilter units={units} value={filter.unitId} />
        <ChoiceFilter label="覆盖面" name="reach" value={filter.reach} choices={{ unit: "跨单位", industry: "跨行业", region: "跨区域" }} />
      </FilterBar>
      <DataTable
        rows={rows}
        empty="没有符合条件的活动。"
        columns={[
          { label: "活动", cell: (e) => <Link to={`/events/${e.id}`}>{e.title}</Link> },
          { label: "类型", cell: (e) => KIND_LABELS[e.kind] },
          { label: "主办", cell: (e) => e.studio_name ?? e.unit_name },
          { label: "时间", cell: (e) => formatDateTime(e.starts_at) },
          { label: "形式", cell: (e) => CHANNEL_LABELS[e.channel] },
          { label: "签到", cell: (e) => e.attendees, num: true },
          {
            label: "覆盖面",
            cell: (e) => (
              <>
                {Number(e.employers) > 1 ? <span className="badge ok">跨单位</span> : null}
                {Number(e.industries) > 1 ? <span className="badge ok">跨行业</span> : null}
                {Number(e.regions) > 1 ? <span className="badge ok">跨区域</span> : null}
              </>
            ),
          },
        ]}
      />
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
