import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { queryParam } from "~/lib/validation";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { STUDIO_STATUS_LABELS } from "~/modules/studios/policy";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/schema";
import { hasEligibleLeader, listStudios } from "~/modules/studios/studios.server";
import { UnitFilter } from "~/components/UnitFilter";
import { ChoiceFilter } from "~/components/ChoiceFilter";

export const meta: MetaFunction = () => [{ title: "工匠工作室 · 匠心" }];

const filterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  status: z
    .enum(Object.keys(STUDIO_STATUS_LABELS) as [keyof typeof STUDIO_STATUS_LABELS])
    .optional()
    .catch(undefined),
  unitId: queryParam.id(),
  focusSector: z
    .enum(Object.keys(FOCUS_SECTOR_LABELS) as [keyof typeof FOCUS_SECTOR_LABELS])
    .optional()
    .catch(undefined),
  page: queryParam.page(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const filter = filterSchema.parse(searchParams(request));
  const [result, canApply, units] = await Promise.all([
    listStudios(db, user, filter),
    hasEligibleLeader(db, user),
    user.role === "city_admin" ? listCountyUnits(db) : Promise.resolve([]),
  ]);
  return json({ ...result, filter, units, canApply });
}

export default function Studios() {
  const { rows, total, page, pageSize, filter, units, canApply } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="page-head">
        <h1>工匠工作室</h1>
        {canApply ? (
          <Link className="button primary" to="/studios/new">
            申请创建工作室
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters">
        <label>
          <span>搜索</span>
          <input name="q" defaultValue={filter.q ?? ""} placeholder="工作室、企业或工匠姓名" />
        </label>
        <ChoiceFilter label="状态" name="status" value={filter.status} choices={STUDIO_STATUS_LABELS} />
        <ChoiceFilter label="领域" name="focusSector" value={filter.focusSector} choices={FOCUS_SECTOR_LABELS} />
        <UnitFilter units={units} value={filter.unitId} />
        <button type="submit" className="button">
          查询
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="empty">没有符合条件的工作室。</p>
      ) : (
        <div className="table-wrap">
          <table className="table responsive">
            <thead>
              <tr>
                <th>工作室</th>
                <th>领衔工匠</th>
                <th>依托企业</th>
                <th>单位</th>
                <th className="num">在带学徒</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td data-label="工作室">
                    <Link to={`/studios/${s.id}`}>{s.name}</Link>
                  </td>
                  <td data-label="领衔工匠">{s.leader_name}</td>
                  <td data-label="依托企业">{s.host_enterprise}</td>
                  <td data-label="单位">{s.unit_name}</td>
                  <td data-label="在带学徒" className="num">
                    {s.apprentices}
                  </td>
                  <td data-label="状态">
                    <span className="badge">{STUDIO_STATUS_LABELS[s.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
