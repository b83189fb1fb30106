import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can, isCityAdmin, isCountyOfficer, isCraftsman } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { formatFen } from "~/lib/money";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import { awardOf, budgetStatus, listApplications } from "~/modules/subsidies/subsidies.server";
import { UnitFilter } from "~/components/UnitFilter";
import { ChoiceFilter, FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { yearInTaizhou } from "~/lib/time";
import { DataTable } from "~/components/DataTable";
import { placeLabel, TARGET_DEGREES } from "~/modules/subsidies/labels";
import { subsidyFilterSchema } from "~/modules/subsidies/schema.server";
import { DownloadLink } from "~/components/DownloadLink";

export const meta: MetaFunction = () => [{ title: "学历提升补助 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "subsidy.read");
  const db = getDb();
  const filter = subsidyFilterSchema.parse(searchParams(request));
  const year = filter.year ?? yearInTaizhou();
  const [result, units, { open, ...budget }, hasAward] = await Promise.all([
    listApplications(db, user, filter),
    isCityAdmin(user) ? listCountyUnits(db) : Promise.resolve([]),
    budgetStatus(db, year),
    user.personId ? awardOf(db, user.personId) : Promise.resolve(undefined),
  ]);
  return json({
    ...result,
    filter,
    year,
    units,
    // The budget is the officers'; a craftsman learns only whether applications are open.
    budget: isCraftsman(user) ? null : budget,
    policyOpen: open,
    applicant: isCraftsman(user),
    // The officers' queues: the county reviews its own unit's, the city approves.
    queues: isCraftsman(user) ? [] : isCountyOfficer(user) ? [["review", "待我审核"]] : [["approve", "待审批"]],
    canApply: isCraftsman(user) && !!hasAward && open,
    canPolicy: can(user, "subsidy.policy"),
    canSchemes: can(user, "subsidy.schemes"),
    canPay: can(user, "subsidy.pay"),
  });
}

export default function Subsidies() {
  const d = useLoaderData<typeof loader>();
  const { queues } = d;
  return (
    <section>
      <div className="page-head">
        <h1>学历提升补助</h1>
        <div className="actions">
          {d.canApply ? (
            <Link className="button primary" to="/subsidies/new">
              申请补助
            </Link>
          ) : null}
          {d.canPolicy ? (
            <>
              <Link className="button" to={`/subsidies/policy?year=${d.year}`}>
                {d.year}年补助政策
              </Link>
              <Link className="button" to={`/subsidies/notices?year=${d.year}`}>
                {d.year}年补助公示
              </Link>
              <DownloadLink className="button" href={`/subsidies/export?year=${d.year}`}>
                导出{d.year}年明细
              </DownloadLink>
            </>
          ) : null}
          {d.canSchemes ? (
            <Link className="button" to="/subsidies/schemes">
              其他项目补助名单
            </Link>
          ) : null}
          {d.canPay ? (
            <Link className="button" to={`/subsidies/payments?year=${d.year}`}>
              补助拨付
            </Link>
          ) : null}
        </div>
      </div>
      {d.budget ? (
        <div className="card budget">
          <strong>{d.year}年预算</strong> {formatFen(d.budget.budget)} · 已批准 {formatFen(d.budget.committed)} · 已拨付 {formatFen(d.budget.paid)} · 剩余{" "}
          <strong>{formatFen(d.budget.remaining)}</strong>
        </div>
      ) : null}
      {d.applicant && !d.policyOpen ? <p className="notice">{d.year}年的学历提升补助暂未开放申请。</p> : null}
      {queues.length ? (
        <p className="actions">
          {queues.map(([key, label]) => (
            <Link key={key} className={d.filter.queue === key ? "button primary" : "button"} to={`?queue=${key}`}>
              {label}
            </Link>
          ))}
          <Link className={!d.filter.queue ? "button primary" : "button"} to="?">
            全部
          </Link>
        </p>
      ) : null}
      <FilterBar>
        {d.filter.queue ? <input type="hidden" name="queue" value={d.filter.queue} /> : null}
        <InputFilter label="年度" name="year" value={d.filter.year} type="number" placeholder="全部" />
        <ChoiceFilter label="状态" name="status" value={d.filter.status} choices={SUBSIDY_STATUS_LABELS} />
        <ChoiceFilter label="学历层次" name="degree" value={d.filter.degree} choices={TARGET_DEGREES} />
        <UnitFilter units={d.units} value={d.filter.unitId} />
      </FilterBar>
      <DataTable
        rows={d.rows}
        empty="没有符合条件的申请。"
        columns={[
          {
            label: "申请人",
            cell: (r) => (
              <>
                <Link to={`/subsidies/${r.id}`}>{r.name}</Link> <small>{r.unit_name}</small>
              </>
            ),
          },
          { label: "年度", cell: (r) => r.year },
          {
            label: "报读",
            cell: (r) => (
              <>
                {r.target_degree} · {r.institution}
              </>
            ),
          },
          { label: "申请", cell: (r) => formatFen(r.requested_fen), num: true },
          { label: "批准", cell: (r) => (r.approved_fen === null ? "—" : formatFen(r.approved_fen)), num: true },
          {
            label: "状态",
            cell: (r) => (
              <>
                <span className="badge">{SUBSIDY_STATUS_LABELS[r.status]}</span> <small>{placeLabel(r.place, r.place_rank)}</small>
              </>
            ),
          },
        ]}
      />
      <Pagination page={d.page} total={d.total} pageSize={d.pageSize} />
    </section>
  );
}
