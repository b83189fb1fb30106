import ExcelJS from "exceljs";
import { KIND_LABELS } from "~/modules/events/reach";
import type { Outlet } from "~db/types";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import type { Dashboard } from "~/modules/dashboard/dashboard.server";
import { OUTLET_LABELS } from "~/modules/showcase/labels";
import { COMPETITION_LEVELS, FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

/** The whole dashboard as a workbook: one sheet per chart's table. */
export async function dashboardWorkbook(board: Dashboard, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = (name: string, headers: string[], rows: unknown[][]) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow([`${title} · ${name}`]).font = { bold: true };
    ws.addRow(headers).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    ws.columns.forEach((c) => (c.width = 14));
  };
  const kinds = Object.keys(KIND_LABELS) as Array<keyof typeof KIND_LABELS>;
  const outlets = Object.keys(OUTLET_LABELS) as Outlet[];
  // One sheet per chart: its name, its columns, its rows.
  const sheets: Array<[string, string[], unknown[][]]> = [
    ["工作室建设进度", ["年份", "当年授牌", "累计", "规划进度"], board.progress.rows.map((r) => [r.year, r.accredited, r.cumulative, r.planned])],
    ["各单位工作室", ["单位", "工作室", "单位目标"], board.studiosByUnit.map((r) => [r.unit, r.studios, r.target])],
    ["工作室领域", ["领域", "工作室"], board.studiosBySector.map((r) => [FOCUS_SECTOR_LABELS[r.sector], r.studios])],
    [
      "育人成效",
      ["年份", "技能提升", "竞赛获奖", "技能骨干", "创新成果"],
      board.outputByYear.map((r) => [r.year, r.skillUpgrades, r.competitions, r.backbones, r.innovations]),
    ],
    [
      "竞赛获奖级别",
      ["级别", "人次"],
      board.competitionLevels.map((r) => [COMPETITION_LEVELS[r.level as keyof typeof COMPETITION_LEVELS] ?? r.level, r.placings]),
    ],
    ["学历提升补助", ["年度", "预算（元）", "已批准（元）", "已拨付（元）"], board.subsidies.map((r) => [r.year, r.budget, r.approved, r.paid])],
    ["补助申请状态", ["状态", "申请数"], board.subsidyStatus.map((r) => [SUBSIDY_STATUS_LABELS[r.status], r.applications])],
    [
      "交流培训",
      ["月份", ...kinds.map((k) => KIND_LABELS[k]), "合计", "跨区域", "学时"],
      board.eventsByMonth.map((r) => [r.month, ...kinds.map((k) => (r as Record<string, unknown>)[k] ?? 0), r.total, r.crossRegion, r.hours]),
    ],
    ["交流培训覆盖面", ["覆盖面", "活动数", "占比 %"], board.eventReach.map((r) => [r.reach, r.events, r.share])],
    [
      "工作室成效排名",
      ["", "工作室", "成果", "在带学徒"],
      [
        ...board.topStudios.map((r) => ["前列", r.name, r.milestones, r.apprentices]),
        ...board.bottomStudios.map((r) => ["靠后", r.name, r.milestones, r.apprentices]),
      ],
    ],
    ["宣传报道", ["年份", ...outlets.map((o) => OUTLET_LABELS[o]), "合计"], board.publicityByYear.map((r) => [r.year, ...outlets.map((o) => r[o]), r.total])],
    ["历届评选", ["届次", "推荐", "通过初审", "候选对象", "命名"], board.funnel.map((r) => [r.campaign, r.nominated, r.qualified, r.candidates, r.named])],
  ];
  for (const [name, headers, rows] of sheets) sheet(name, headers, rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
