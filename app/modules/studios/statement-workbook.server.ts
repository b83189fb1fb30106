import ExcelJS from "exceljs";
import type { Statement } from "~/modules/studios/funds.server";
import { PLAN_TARGETS, SPENDING_CATEGORY_LABELS, YEAR_STATUS_LABELS, type PlanKey } from "~/modules/studios/cycle";
import type { YearlyRow } from "~/modules/studios/cycle.server";
import { GRADE_LABELS } from "~/modules/studios/evaluation";

const yuan = (fen: number) => Math.round(fen) / 100;
const MONEY = "#,##0.00";

/** A studio's statement as a workbook: the summary, then every entry of the period. */
export async function statementWorkbook(studioName: string, s: Statement): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet("收支表");
  ws.addRow([`${studioName} · ${s.title}`]).font = { bold: true };
  ws.addRow([s.from ? `${s.from} 至 ${s.to}` : `截至 ${s.to}`]);
  ws.addRow([]);
  const money = (label: string, fen: number) => {
    const row = ws.addRow([label, yuan(fen)]);
    row.getCell(2).numFmt = MONEY;
  };
  money("期初余额（元）", s.openingFen);
  for (const r of s.received) money(`收入：${r.label}（元）`, r.fen);
  money("收入合计（元）", s.receivedFen);
  for (const x of s.spent) money(`支出：${SPENDING_CATEGORY_LABELS[x.category]}（元）`, x.fen);
  money("支出合计（元）", s.spentFen);
  money("期末余额（元）", s.closingFen);
  if (s.pendingFen) money("待审批支出（未计入）（元）", s.pendingFen);
  if (s.toReturn) for (const r of s.toReturn) money(`应退回：${r.label}（元）`, r.fen);
  ws.addRow([]);
  ws.addRow(["日期", "收/支", "摘要", "金额（元）", "凭证"]).font = { bold: true };
  for (const e of s.entries) {
    const row = ws.addRow([e.date, e.kind === "in" ? "收入" : "支出", e.text, yuan(e.fen), e.voucher]);
    row.getCell(4).numFmt = MONEY;
  }
  ws.columns = [{ width: 28 }, { width: 14 }, { width: 36 }, { width: 14 }, { width: 18 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The year's figures of every studio in scope, for the superior union's statistics: one row per studio. */
export async function yearlyFiguresWorkbook(year: number, rows: YearlyRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet(`${year}年度`);
  const keys = Object.keys(PLAN_TARGETS) as PlanKey[];
  ws.addRow([`${year}年度工匠工作室统计表`]).font = { bold: true };
  ws.addRow([
    "单位",
    "工作室",
    "领衔工匠",
    ...keys.flatMap((k) => [`${PLAN_TARGETS[k]}计划`, `${PLAN_TARGETS[k]}完成`]),
    "当年到账（元）",
    "当年支出（元）",
    "年度总结",
    "验收得分",
    "考核等次",
  ]).font = { bold: true };
  for (const r of rows) {
    const row = ws.addRow([
      r.unit_name,
      r.name,
      r.leader_name,
      ...keys.flatMap((k) => [r.plan[k] ?? null, r.actual[k]]),
      yuan(r.receivedFen),
      yuan(r.spentFen),
      r.report_status ? YEAR_STATUS_LABELS[r.report_status] : "未报送",
      r.score,
      r.grade ? GRADE_LABELS[r.grade] : "",
    ]);
    row.getCell(4 + keys.length * 2).numFmt = MONEY;
    row.getCell(5 + keys.length * 2).numFmt = MONEY;
  }
  ws.columns.forEach((c) => (c.width = 14));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
