import ExcelJS from "exceljs";
import type { Statement } from "~/modules/studios/funds.server";
import { SPENDING_CATEGORY_LABELS } from "~/modules/studios/cycle";

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
