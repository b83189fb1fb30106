import type { SerializeFrom } from "@remix-run/node";
import { MentoringOutcomes } from "~/components/MentoringOutcomes";
import { Form, Link } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { Options, SaveMessage, SubmitButton } from "~/components/forms";
import { PrintButton } from "~/components/PrintButton";
import { useReply } from "~/components/useReply";
import { FORECAST_HORIZON_YEARS } from "~/modules/dashboard/plan";
import { DashboardCharts } from "./charts";
import type { loader } from "./route";

export type DashboardData = SerializeFrom<typeof loader>;

export function DashboardPage({ board, units, unitTargets, filter, cityWide, canPlan, cycle, mentoring }: DashboardData) {
  const plan = useReply("plan");
  const p = board.progress;
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
        {cityWide ? (
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

      <DashboardCharts board={board} filter={filter} cityWide={cityWide} />

      <MentoringOutcomes {...mentoring} />
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
            <SaveMessage message={plan?.message} saved={plan?.ok} />
            <SubmitButton label="保存规划" />
          </Form>
        </details>
      ) : null}
    </section>
  );
}
