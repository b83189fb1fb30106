import { Link } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";

interface Counts {
  started: number;
  ended: number;
  passed: number;
  endedEarly: number;
  passRate: number | null;
  retention: number | null;
}

const rate = (value: number | null) => (value === null ? "—" : `${value}%`);

/** What 出师率 and 留存率 mean, said once beside the figures. */
const MEANING = "出师率 = 已出师 ÷ 已结束的结对；留存率 = 未提前结束 ÷ 全部结对。";

const COLUMNS = [
  { label: "结对", cell: (r: Counts) => r.started, num: true },
  { label: "已结束", cell: (r: Counts) => r.ended, num: true },
  { label: "出师", cell: (r: Counts) => r.passed, num: true },
  { label: "提前结束", cell: (r: Counts) => r.endedEarly, num: true },
  { label: "出师率", cell: (r: Counts) => rate(r.passRate), num: true },
  { label: "留存率", cell: (r: Counts) => rate(r.retention), num: true },
];

type StudioRow = Counts & { studioId: number; studio: string };

/** 出师率 and retention per county, and the studios with the most pairings (the dashboard); every studio is a list of its own. */
export function MentoringOutcomes({
  units,
  studios,
  studioCount,
  unitId,
}: {
  units: Array<Counts & { unitId: number; unit: string }>;
  studios: StudioRow[];
  studioCount: number;
  unitId: number | null;
}) {
  return (
    <div className="card">
      <h2>带徒成效</h2>
      <OutcomesMeaning />
      <DataTable rows={units} rowKey={(r) => r.unitId} empty="还没有结对。" columns={[{ label: "县（市、区）", cell: (r) => r.unit }, ...COLUMNS]} />
      {studios.length ? (
        <>
          <h3>结对最多的工作室</h3>
          <StudioOutcomes rows={studios} />
          <p>
            <Link to={`/dashboard/mentoring${unitId ? `?unitId=${unitId}` : ""}`}>全部 {studioCount} 个工作室的带徒成效</Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

/** 出师率 and retention per studio, each linked to its page. */
export function StudioOutcomes({ rows }: { rows: StudioRow[] }) {
  return (
    <DataTable
      rows={rows}
      rowKey={(r) => r.studioId}
      empty="还没有结对。"
      columns={[{ label: "工作室", cell: (r) => <Link to={`/studios/${r.studioId}`}>{r.studio}</Link> }, ...COLUMNS]}
    />
  );
}

/** What 出师率 and 留存率 mean, for a page that lists them. */
export function OutcomesMeaning() {
  return <p className="small">{MEANING}</p>;
}

/** One studio's 出师率 and retention (its page). */
export function StudioOutcome({ outcome }: { outcome: Counts }) {
  return (
    <p className="small">
      带徒成效：结对 {outcome.started} 人，出师 {outcome.passed} 人，提前结束 {outcome.endedEarly} 人；出师率 {rate(outcome.passRate)}，留存率{" "}
      {rate(outcome.retention)}。{MEANING}
    </p>
  );
}
