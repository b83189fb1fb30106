import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { ChartCard } from "~/components/charts/ChartCard";
import { BarsChart, LinesChart } from "~/components/charts/charts";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { dashboardYears, loadDashboard, planUnitTargets, savePlan } from "~/modules/dashboard/dashboard.server";
import { FORECAST_HORIZON_YEARS } from "~/modules/dashboard/plan";
import { KIND_LABELS } from "~/modules/events/reach";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import type { Outlet } from "~db/types";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import { Options, SaveMessage, SubmitButton } from "~/components/forms";
import { FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { OUTLET_LABELS } from "~/modules/showcase/labels";
import { COMPETITION_LEVELS, FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import { dashboardFilterSchema, planSchema } from "~/modules/dashboard/schema.server";
import { PrintButton } from "~/components/PrintButton";
import { DownloadLink } from "~/components/DownloadLink";
import { DataTable } from "~/components/DataTable";
import { yearPlanTotals } from "~/modules/studios/cycle.server";
import { yearInTaizhou } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "数据看板 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard.read");
  const db = getDb();
  const raw = dashboardFilterSchema.parse(searchParams(request));
  const { fromYear, toYear } = await dashboardYears(db, raw);
  // The studios' year: plan against actual for the last year shown (this year at most).
  const cycleYear = Math.min(toYear, yearInTaizhou());
  const [board, units, unitTargets, cycle] = await Promise.all([
    loadDashboard(db, user, { fromYear, toYear, unitId: raw.unitId }),
    listCountyUnits(db),
    planUnitTargets(db),
    yearPlanTotals(db, user, cycleYear, user.role === "county_officer" ? user.orgUnitId : (raw.unitId ?? null)),
  ]);
  return json({
    board,
    units,
    // Every unit's target, whatever the view is narrowed to, so saving the plan keeps them all.
    unitTargets,
    filter: { fromYear, toYear, unitId: board.unitId },
    role: user.role,
    canPlan: can(user, "plan.manage"),
    cycle,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan.manage");
  const formData = await request.formData();
  const parsed = planSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return json({ message: parsed.error.issues[0].message, saved: false }, { status: 400 });
  if (parsed.data.endYear < parsed.data.startYear) return json({ message: "结束年份不能早于开始年份", saved: false }, { status: 400 });
  const unitTargets: Record<number, number> = {};
  for (const [key, value] of formData.entries()) {
    const match = /^unit-(\d+)$/.exec(key);
    if (!match || String(value).trim() === "") continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 10000) return json({ message: "单位目标应为非负整数", saved: false }, { status: 400 });
    unitTargets[Number(match[1])] = n;
  }
  await savePlan(getDb(), user, { ...parsed.data, unitTargets });
  return json({ message: "规划已保存", saved: true });
}

const MILESTONE_SERIES = [
  { key: "skillUpgrades", label: "技能提升" },
  { key: "competitions", label: "竞赛获奖" },
  { key: "backbones", label: "技能骨干" },
  { key: "innovations", label: "创新成果" },
];

export default function Dashboard() {
  const { board, units, unitTargets, filter, role, canPlan, cycle } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const p = board.progress;
  const unitQuery = board.unitId ? `&unitId=${board.unitId}` : "";
  // Rows as the charts and their tables both show them.
  const sectorRows = board.studiosBySector.map((s) => ({ sector: FOCUS_SECTOR_LABELS[s.sector], studios: s.studios }));
  const competitionRows = board.competitionLevels.map((c) => ({
    level: COMPETITION_LEVELS[c.level as keyof typeof COMPETITION_LEVELS] ?? c.level,
    placings: c.placings,
  }));
  const statusRows = board.subsidyStatus.map((s) => ({ status: SUBSIDY_STATUS_LABELS[s.status], applications: s.applications }));
  return (
    <section>
      <div className="page-head">
        <h1>数据看板</h1>
        <div className="actions no-print">
          <DownloadLink
            className="button"
            href={`/dashboard/export?fromYear=${filter.fromYear}&toYear=${filter.toYear}${filter.unitId ? `&unitId=${filter.unitId}` : ""}`}
          >
            导出 Excel
          </DownloadLink>
          <PrintButton label="打印月报" />
        </div>
      </div>
      <FilterBar className="filters no-print" label="查看">
        <InputFilter label="起始年" name="fromYear" value={filter.fromYear} type="number" />
        <InputFilter label="截止年" name="toYear" value={filter.toYear} type="number" />
        {role === "city_admin" ? (
          <label>
            <span>单位</span>
            <select name="unitId" defaultValue={filter.unitId ?? ""}>
              <option value="">全市</option>
              <Options choices={units.map((u) => ({ value: u.id, label: u.short_name }))} />
            </select>
          </label>
        ) : null}
      </FilterBar>

      {p.ended ? (
        <p className="notice" role="status">
          {board.plan.start_year}–{board.plan.end_year}年规划期已结束。
          {canPlan ? "请在下方“修改建设规划”中制定下一期规划。" : "下一期规划由市总工会制定，制定后这里按新规划计算。"}
        </p>
      ) : null}
      <div className="kpis">
        <div className="kpi">
          <strong>{p.total}</strong>
          {board.target === null ? "已授牌工作室（本单位尚未设定目标）" : `已授牌工作室（${board.unitId ? "本单位" : "全市"}目标 ${board.target}）`}
        </div>
        <div className="kpi">
          <strong>{p.pace}</strong>每年授牌（当前速度）
        </div>
        <div className="kpi">
          <strong>{p.reachedIn ?? "—"}</strong>
          {board.target === null
            ? "未设定目标，无从预计"
            : p.reachedIn
              ? p.onTrack
                ? "年可达成目标（按期）"
                : "年可达成目标（滞后）"
              : `按当前速度${FORECAST_HORIZON_YEARS}年内难以达成`}
        </div>
        <div className="kpi">
          <strong>{board.activeApprentices}</strong>在带学徒
        </div>
      </div>

      <div className="card">
        <div className="page-head">
          <h2>{cycle.year}年度工作室计划与完成</h2>
          <Link className="button" to={`/evaluations?year=${cycle.year}`}>
            年度考核
          </Link>
        </div>
        <p>
          {cycle.studios} 个工作室：已报计划 {cycle.planned} 个，已交年度总结 {cycle.reported} 个，已验收 {cycle.accepted} 个。
        </p>
        <DataTable
          rows={cycle.targets}
          rowKey={(r) => r.key}
          compact
          label={`${cycle.year}年度计划与完成`}
          columns={[
            { label: "项目", cell: (r) => r.label },
            { label: "计划合计", num: true, cell: (r) => r.target },
            { label: "完成合计", num: true, cell: (r) => r.actual },
          ]}
        />
      </div>

      <div className="dashboard-grid">
        <ChartCard
          title={`工作室建设进度（${board.plan.start_year}–${board.plan.end_year}年规划）`}
          rows={p.rows}
          columns={[
            { key: "year", label: "年份" },
            { key: "accredited", label: "当年授牌" },
            { key: "cumulative", label: "累计" },
            { key: "planned", label: "规划进度" },
          ]}
          link={<Link to="/studios?status=active">工作室列表</Link>}
        >
          <LinesChart
            rows={p.rows}
            x="year"
            series={[
              { key: "cumulative", label: "累计授牌" },
              { key: "planned", label: "规划进度" },
            ]}
          />
        </ChartCard>

        <ChartCard
          title="各单位工作室"
          rows={board.studiosByUnit}
          columns={[
            { key: "unit", label: "单位" },
            { key: "studios", label: "工作室" },
            { key: "target", label: "单位目标" },
          ]}
          link={<Link to="/studios">工作室列表</Link>}
        >
          <BarsChart
            rows={board.studiosByUnit}
            x="unit"
            series={[
              { key: "studios", label: "工作室" },
              { key: "target", label: "单位目标" },
            ]}
          />
        </ChartCard>

        <ChartCard
          title="工作室所在领域"
          rows={sectorRows}
          columns={[
            { key: "sector", label: "领域" },
            { key: "studios", label: "工作室" },
          ]}
          link={<Link to={`/studios${unitQuery.replace("&", "?")}`}>工作室列表（可按领域筛选）</Link>}
        >
          <BarsChart rows={sectorRows} x="sector" series={[{ key: "studios", label: "工作室" }]} />
        </ChartCard>

        <ChartCard
          title="“1+N”育人成效（经核实）"
          rows={board.outputByYear}
          columns={[{ key: "year", label: "年份" }, ...MILESTONE_SERIES.map((s) => ({ key: s.key as "skillUpgrades", label: s.label }))]}
          link={role === "county_officer" || board.unitId ? null : <Link to="/evaluations">年度考核</Link>}
        >
          <BarsChart rows={board.outputByYear} x="year" series={MILESTONE_SERIES} stacked />
        </ChartCard>

        <ChartCard
          title="竞赛获奖（按级别）"
          rows={competitionRows}
          columns={[
            { key: "level", label: "级别" },
            { key: "placings", label: "人次" },
          ]}
          link={role === "county_officer" || board.unitId ? null : <Link to="/evaluations">年度考核</Link>}
        >
          <BarsChart rows={competitionRows} x="level" series={[{ key: "placings", label: "获奖人次" }]} />
        </ChartCard>

        <ChartCard
          title="学历提升补助（万元）"
          rows={board.subsidies}
          columns={[
            { key: "year", label: "年度" },
            { key: "budget", label: "预算" },
            { key: "approved", label: "已批准" },
            { key: "paid", label: "已拨付" },
          ]}
          link={<Link to={`/subsidies?year=${filter.toYear}`}>补助申请</Link>}
        >
          <BarsChart
            rows={board.subsidies}
            x="year"
            series={[
              { key: "budget", label: "预算" },
              { key: "approved", label: "已批准" },
              { key: "paid", label: "已拨付" },
            ]}
          />
        </ChartCard>

        <ChartCard
          title="补助申请状态"
          link={<Link to={`/subsidies?year=${filter.toYear}${unitQuery}`}>补助申请</Link>}
          rows={statusRows}
          columns={[
            { key: "status", label: "状态" },
            { key: "applications", label: "申请数" },
          ]}
        >
          <BarsChart rows={statusRows} x="status" series={[{ key: "applications", label: "申请数" }]} />
        </ChartCard>

        <ChartCard
          title="交流培训（按月）"
          rows={board.eventsByMonth}
          columns={[
            { key: "month", label: "月份" },
            { key: "total", label: "活动" },
            { key: "crossRegion", label: "跨区域" },
            { key: "hours", label: "学时" },
          ]}
          link={<Link to={`/events?from=${filter.fromYear}-01-01${unitQuery}`}>活动列表</Link>}
        >
          <BarsChart rows={board.eventsByMonth} x="month" series={Object.entries(KIND_LABELS).map(([key, label]) => ({ key, label }))} stacked />
        </ChartCard>

        <ChartCard
          title="交流培训覆盖面（活动占比 %）"
          rows={board.eventReach}
          columns={[
            { key: "reach", label: "覆盖面" },
            { key: "events", label: "活动数" },
            { key: "share", label: "占比 %" },
          ]}
          link={<Link to={`/events?reach=region${unitQuery}`}>跨区域活动</Link>}
        >
          <BarsChart rows={board.eventReach} x="reach" series={[{ key: "share", label: "占比 %" }]} />
        </ChartCard>

        <ChartCard
          title="工作室育人成效排名（经核实成果）"
          rows={[...board.topStudios.map((s) => ({ ...s, rank: "前列" })), ...board.bottomStudios.map((s) => ({ ...s, rank: "靠后" }))]}
          columns={[
            { key: "rank", label: "" },
            { key: "name", label: "工作室" },
            { key: "milestones", label: "成果" },
            { key: "apprentices", label: "在带学徒" },
          ]}
          link={<Link to="/evaluations">年度考核</Link>}
        >
          <BarsChart
            rows={board.topStudios.map((s) => ({ name: s.name.replace("工匠工作室", ""), milestones: s.milestones }))}
            x="name"
            series={[{ key: "milestones", label: "经核实成果（前5）" }]}
          />
        </ChartCard>

        <ChartCard
          title={`宣传报道（公开展示的工匠 ${board.publishedCraftsmen} 名）`}
          rows={board.publicityByYear}
          columns={[
            { key: "year", label: "年份" },
            ...(Object.entries(OUTLET_LABELS) as Array<[Outlet, string]>).map(([key, label]) => ({ key, label })),
            { key: "total", label: "合计" },
          ]}
          link={<Link to="/publicity">宣传报道记录</Link>}
        >
          <BarsChart rows={board.publicityByYear} x="year" series={Object.entries(OUTLET_LABELS).map(([key, label]) => ({ key, label }))} stacked />
        </ChartCard>

        <ChartCard
          title="历届评选"
          rows={board.funnel}
          columns={[
            { key: "campaign", label: "届次" },
            { key: "nominated", label: "推荐" },
            { key: "qualified", label: "通过初审" },
            { key: "candidates", label: "候选对象" },
            { key: "named", label: "命名" },
          ]}
          link={<Link to="/campaigns">评选活动</Link>}
        >
          <BarsChart
            rows={board.funnel.map((f) => ({ ...f, campaign: `第${f.campaign}届` }))}
            x="campaign"
            series={[
              { key: "nominated", label: "推荐" },
              { key: "qualified", label: "通过初审" },
              { key: "candidates", label: "候选对象" },
              { key: "named", label: "命名" },
            ]}
          />
        </ChartCard>
      </div>

      {canPlan ? (
        <details className="card no-print">
          <summary>修改建设规划</summary>
          <Form method="post" className="form-grid">
            <label className="field">
              工作室目标数
              <input name="target" defaultValue={board.plan.target} inputMode="numeric" />
            </label>
            <label className="field">
              开始年份
              <input name="startYear" defaultValue={board.plan.start_year} inputMode="numeric" />
            </label>
            <label className="field">
              结束年份
              <input name="endYear" defaultValue={board.plan.end_year} inputMode="numeric" />
            </label>
            {units.map((u) => (
              <label key={u.id} className="field">
                {u.short_name}目标（可选）
                <input name={`unit-${u.id}`} defaultValue={unitTargets[u.id] ?? ""} inputMode="numeric" />
              </label>
            ))}
            <SaveMessage message={data?.message} saved={data?.saved} />
            <SubmitButton label="保存规划" />
          </Form>
        </details>
      ) : null}
    </section>
  );
}
