import { Link } from "@remix-run/react";
import { BarsCard, ChartCard } from "~/components/charts/ChartCard";
import { LinesChart } from "~/components/charts/charts";
import { KIND_LABELS } from "~/modules/events/reach";
import { OUTLET_LABELS } from "~/modules/showcase/labels";
import { COMPETITION_LEVELS, FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import type { DashboardData } from "./page";

const MILESTONES = { skillUpgrades: "技能提升", competitions: "竞赛获奖", backbones: "技能骨干", innovations: "创新成果" };

const labelled = (labels: Record<string, string>) => Object.entries(labels).map(([key, label]) => ({ key, label }));

/** The board's charts, each with its numbers as a table and a link to the records behind it. */
export function DashboardCharts({ board, filter, cityWide }: Pick<DashboardData, "board" | "filter" | "cityWide">) {
  const p = board.progress;
  const unitQuery = board.unitId ? `&unitId=${board.unitId}` : "";
  // The annual grading is the city's, over the whole city.
  const evaluations = cityWide && !board.unitId ? <Link to="/evaluations">年度考核</Link> : null;
  // Rows as the charts and their tables both show them.
  const sectorRows = board.studiosBySector.map((s) => ({ sector: FOCUS_SECTOR_LABELS[s.sector], studios: s.studios }));
  const competitionRows = board.competitionLevels.map((c) => ({
    level: COMPETITION_LEVELS[c.level as keyof typeof COMPETITION_LEVELS] ?? c.level,
    placings: c.placings,
  }));
  const statusRows = board.subsidyStatus.map((s) => ({ status: SUBSIDY_STATUS_LABELS[s.status], applications: s.applications }));
  return (
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
      <BarsCard
        title="各单位工作室"
        rows={board.studiosByUnit}
        x="unit"
        columns={{ unit: "单位", studios: "工作室", target: "单位目标" }}
        link={<Link to="/studios">工作室列表</Link>}
      />
      <BarsCard
        title="工作室所在领域"
        rows={sectorRows}
        x="sector"
        columns={{ sector: "领域", studios: "工作室" }}
        link={<Link to={`/studios${unitQuery.replace("&", "?")}`}>工作室列表（可按领域筛选）</Link>}
      />
      <BarsCard title="“1+N”育人成效（经核实）" rows={board.outputByYear} x="year" columns={{ year: "年份", ...MILESTONES }} stacked link={evaluations} />
      <BarsCard
        title="竞赛获奖（按级别）"
        rows={competitionRows}
        x="level"
        columns={{ level: "级别", placings: "人次" }}
        series={[{ key: "placings", label: "获奖人次" }]}
        link={evaluations}
      />
      <BarsCard
        title="学历提升补助（万元）"
        rows={board.subsidies}
        x="year"
        columns={{ year: "年度", budget: "预算", approved: "已批准", paid: "已拨付" }}
        link={<Link to={`/subsidies?year=${filter.toYear}`}>补助申请</Link>}
      />
      <BarsCard
        title="补助申请状态"
        rows={statusRows}
        x="status"
        columns={{ status: "状态", applications: "申请数" }}
        link={<Link to={`/subsidies?year=${filter.toYear}${unitQuery}`}>补助申请</Link>}
      />
      <BarsCard
        title="交流培训（按月）"
        rows={board.eventsByMonth}
        x="month"
        columns={{ month: "月份", total: "活动", crossRegion: "跨区域", hours: "学时" }}
        series={labelled(KIND_LABELS)}
        stacked
        link={<Link to={`/events?from=${filter.fromYear}-01-01${unitQuery}`}>活动列表</Link>}
      />
      <BarsCard
        title="交流培训覆盖面（活动占比 %）"
        rows={board.eventReach}
        x="reach"
        columns={{ reach: "覆盖面", events: "活动数", share: "占比 %" }}
        series={[{ key: "share", label: "占比 %" }]}
        link={<Link to={`/events?reach=region${unitQuery}`}>跨区域活动</Link>}
      />
      <BarsCard
        title="工作室育人成效排名（经核实成果）"
        rows={[...board.topStudios.map((s) => ({ ...s, rank: "前列" })), ...board.bottomStudios.map((s) => ({ ...s, rank: "靠后" }))]}
        x="name"
        columns={{ rank: "", name: "工作室", milestones: "成果", apprentices: "在带学徒" }}
        drawn={board.topStudios.map((s) => ({ name: s.name.replace("工匠工作室", ""), milestones: s.milestones }))}
        series={[{ key: "milestones", label: "经核实成果（前5）" }]}
        link={<Link to="/evaluations">年度考核</Link>}
      />
      <BarsCard
        title={`宣传报道（公开展示的工匠 ${board.publishedCraftsmen} 名）`}
        rows={board.publicityByYear}
        x="year"
        columns={{ year: "年份", ...OUTLET_LABELS, total: "合计" }}
        series={labelled(OUTLET_LABELS)}
        stacked
        link={<Link to="/publicity">宣传报道记录</Link>}
      />
      <BarsCard
        title="历届评选"
        rows={board.funnel}
        x="campaign"
        columns={{ campaign: "届次", nominated: "推荐", qualified: "通过初审", candidates: "候选对象", named: "命名" }}
        drawn={board.funnel.map((f) => ({ ...f, campaign: `第${f.campaign}届` }))}
        link={<Link to="/campaigns">评选活动</Link>}
      />
    </div>
  );
}
