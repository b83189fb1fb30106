import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { isCityAdmin } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { STUDIO_STATUS_LABELS } from "~/modules/studios/policy";
import { hasEligibleLeader, listStudios } from "~/modules/studios/studios.server";
import { UnitFilter } from "~/components/UnitFilter";
import { ChoiceFilter, FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import { studioFilterSchema } from "~/modules/studios/schema.server";

export const meta: MetaFunction = () => [{ title: "工匠工作室 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const filter = studioFilterSchema.parse(searchParams(request));
  const [result, canApply, units] = await Promise.all([
    listStudios(db, user, filter),
    hasEligibleLeader(db, user),
    isCityAdmin(user) ? listCountyUnits(db) : Promise.resolve([]),
  ]);
  return json({ ...result, filter, units, canApply });
}

export default function Studios() {
  const { rows, total, page, pageSize, filter, units, canApply } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <section>
      <div className="page-head">
        <h1>工匠工作室</h1>
        <div className="actions">
          {canApply ? (
            <Link className="button primary" to="/studios/new">
              申请创建工作室
            </Link>
          ) : null}
          <DownloadLink className="button" href={`/studios/export${location.search}`}>
            导出
          </DownloadLink>
        </div>
      </div>
      <FilterBar>
        <InputFilter label="搜索" name="q" value={filter.q} placeholder="工作室、企业或工匠姓名" />
        <ChoiceFilter label="状态" name="status" value={filter.status} choices={STUDIO_STATUS_LABELS} />
        <ChoiceFilter label="领域" name="focusSector" value={filter.focusSector} choices={FOCUS_SECTOR_LABELS} />
        <UnitFilter units={units} value={filter.unitId} />
      </FilterBar>
      <DataTable
        rows={rows}
        empty="没有符合条件的工作室。"
        columns={[
          { label: "工作室", cell: (s) => <Link to={`/studios/${s.id}`}>{s.name}</Link> },
          { label: "领衔工匠", cell: (s) => s.leader_name },
          { label: "依托企业", cell: (s) => s.host_enterprise },
          { label: "单位", cell: (s) => s.unit_name },
          { label: "在带学徒", cell: (s) => s.apprentices, num: true },
          { label: "状态", cell: (s) => <span className="badge">{STUDIO_STATUS_LABELS[s.status]}</span> },
        ]}
      />
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
