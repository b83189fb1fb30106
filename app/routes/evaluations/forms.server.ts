import { z } from "zod";
import { wholeNumber } from "~/lib/validation.server";
import { checklistItemSchema } from "~/modules/studios/cycle-schema.server";
import { FIGURE_LABELS, type FigureKey } from "~/modules/studios/evaluation";

/** The checklist form's rows: the year's items and room for a few more. */
const CHECKLIST_ROWS = 12;

/** A form of numbered rows as Conform hands it over: each cell by its own name. */
const cells = z.record(z.string(), z.unknown());
const cell = (fields: Record<string, unknown>, name: string) => (typeof fields[name] === "string" ? fields[name].trim() : "");

/**
 * The 验收清单 form: each row with a label is an item (its key kept, or made from its place);
 * a wrong row is named by its place, as the page numbers them.
 */
export const checklistFormSchema = cells.transform((fields, ctx) => {
  const items: Array<z.output<typeof checklistItemSchema>> = [];
  for (let i = 0; i < CHECKLIST_ROWS; i++) {
    const label = cell(fields, `label-${i}`);
    if (!label) continue;
    const parsed = checklistItemSchema.safeParse({
      key: cell(fields, `key-${i}`) || `item${i + 1}`,
      label,
      points: cell(fields, `points-${i}`),
      needsPhoto: fields[`photo-${i}`] === "on",
    });
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", path: [`points-${i}`], message: `第${i + 1}项：${parsed.error.issues[0].message}` });
      return z.NEVER;
    }
    items.push(parsed.data);
  }
  return items;
});

const weight = wholeNumber("权重", 0, 100);
const target = wholeNumber("满分数量", 1, 1000);

/** The 考核标准 form: each figure ticked, with its weight and the count that earns it full marks. */
export const criteriaFormSchema = cells.transform((fields, ctx) => {
  const rows = [];
  for (const key of Object.keys(FIGURE_LABELS) as FigureKey[]) {
    if (fields[`use-${key}`] !== "on") continue;
    const w = weight.safeParse(fields[`weight-${key}`]);
    const t = target.safeParse(fields[`target-${key}`]);
    if (!w.success || !t.success) {
      ctx.addIssue({ code: "custom", path: [`weight-${key}`], message: `“${FIGURE_LABELS[key]}”的权重应为0–100的整数，满分数量应为正整数` });
      return z.NEVER;
    }
    rows.push({ key, label: FIGURE_LABELS[key], weight: w.data, target: t.data });
  }
  if (!rows.length) ctx.addIssue({ code: "custom", path: [], message: "至少选择一项考核指标" });
  return rows;
});
