import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { can, isCityAdmin } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { SEX_LABELS } from "~/modules/people/id-number";
import { SKILL_LEVELS } from "~/modules/people/options";
import { listPeople } from "~/modules/people/people.server";
import { personFilterSchema } from "~/modules/people/schema.server";
import { UnitFilter } from "~/components/UnitFilter";
import { ChoiceFilter, FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";

export const meta: MetaFunction = () => [{ title: "人员档案 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "person.read");
  const db = getDb();
  const filter = personFilterSchema.parse(searchParams(request));
  const [result, units] = await Promise.all([listPeople(db, user, filter), isCityAdmin(user) ? listCountyUnits(db) : Promise.resolve([])]);
  return json({ ...result, units, filter, canCreate: can(user, "person.create") });
}

export default function People() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <section>
      <div className="page-head">
        <h1>人员档案</h1>
        <div className="actions">
          {data.canCreate ? (
            <Link className="button primary" to="/people/new">
              登记人员
            </Link>
          ) : null}
          <DownloadLink className="button" href={`/people/export${location.search}`}>
            导出（号码隐去部分）
          </DownloadLink>
        </div>
      </div>
      <FilterBar>
        <InputFilter label="搜索" name="q" value={data.filter.q} placeholder="姓名、工作单位，或完整身份证号/手机号" />
        <UnitFilter units={data.units} value={data.filter.orgUnitId} name="orgUnitId" emptyLabel="全部单位" />
        <ChoiceFilter label="技术等级" name="skillLevel" value={data.filter.skillLevel} choices={SKILL_LEVELS} emptyLabel="全部等级" />
        <ChoiceFilter label="公开展示意愿" name="consent" value={data.filter.consent} choices={{ missing: "已命名、尚未登记" }} emptyLabel="不限" />
      </FilterBar>
      {data.notice ? (
        <p className="notice" role="alert">
          {data.notice}
        </p>
      ) : null}
      <DataTable
        rows={data.rows}
        empty="没有符合条件的人员。"
        columns={[
          { label: "姓名", cell: (p) => <Link to={`/people/${p.id}`}>{p.name}</Link> },
          { label: "性别", cell: (p) => SEX_LABELS[p.sex] },
          { label: "工作单位", cell: (p) => p.employer },
          { label: "技术等级", cell: (p) => p.skill_level },
          { label: "所属工会", cell: (p) => p.unit_name },
          { label: "身份证号", cell: (p) => p.id_number_masked, className: "mono" },
        ]}
      />
      <Pagination page={data.page} total={data.total} pageSize={data.pageSize} />
    </section>
  );
}
