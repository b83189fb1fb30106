import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { everyRow, sheet, workbook, type Column } from "~/lib/workbook.server";
import { PLAN_TARGETS, YEAR_STATUS_LABELS, type PlanKey } from "~/modules/studios/cycle";
import { yearlyFigures } from "~/modules/studios/cycle.server";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import { evaluationBoard } from "~/modules/studios/evaluation.server";
import { describeMilestone, FOCUS_SECTOR_LABELS, MENTORSHIP_STATUS_LABELS, MILESTONE_KIND_LABELS } from "~/modules/studios/labels";
import { MENTORSHIP_COLUMNS } from "~/modules/studios/mentorships.server";
import { STUDIO_STATUS_LABELS } from "~/modules/studios/policy";
import { listStudios, type StudioView } from "~/modules/studios/studios.server";

type StudioRow = Awaited<ReturnType<typeof listStudios>>["rows"][number];

/** The studios list as the page shows it, with the filter applied, in the viewer's scope. */
export async function studiosWorkbook(db: DB, user: SessionUser, filter: Parameters<typeof listStudios>[2]): Promise<Buffer> {
  const rows = await everyRow((page, pageSize) => listStudios(db, user, { ...filter, page }, pageSize));
  const columns: Array<Column<StudioRow>> = [
    { header: "工作室", width: 28, value: (s) => s.name },
    { header: "领衔工匠", value: (s) => s.leader_name },
    { header: "称号", width: 20, value: (s) => s.award_title },
    { header: "依托企业", width: 24, value: (s) => s.host_enterprise },
    { header: "所属行业", value: (s) => s.industry },
    { header: "领域", value: (s) => FOCUS_SECTOR_LABELS[s.focus_sector] },
    { header: "所属单位", value: (s) => s.unit_name },
    { header: "地址", width: 24, value: (s) => s.address },
    { header: "在带学徒", kind: "number", value: (s) => s.apprentices },
    { header: "状态", value: (s) => STUDIO_STATUS_LABELS[s.status] },
    { header: "授牌日期", value: (s) => s.accredited_on },
    { header: "牌匾编号", value: (s) => s.plaque_number },
  ];
  return workbook(sheet("工匠工作室", "“台州工匠”工作室名单", columns, rows));
}

/** A studio's apprentices (every pairing and its outcome) and their verified results. */
export async function apprenticesWorkbook(db: DB, studio: StudioView): Promise<Buffer> {
  const [pairings, results] = await Promise.all([
    db
      .selectFrom("mentorship")
      .innerJoin("person", "person.id", "mentorship.apprentice_id")
      .where("mentorship.studio_id", "=", studio.id)
      .select([...MENTORSHIP_COLUMNS, "person.id_number_masked"])
      .orderBy("mentorship.start_date")
      .orderBy("mentorship.id")
      .execute(),
    db
      .selectFrom("milestone")
      .innerJoin("mentorship", "mentorship.id", "milestone.mentorship_id")
      .innerJoin("person", "person.id", "mentorship.apprentice_id")
      .where("mentorship.studio_id", "=", studio.id)
      .where("milestone.status", "=", "verified")
      .select(["milestone.mentorship_id", "person.name", "milestone.kind", "milestone.occurred_on", "milestone.details", "milestone.benefit_fen"])
      .orderBy("milestone.occurred_on")
      .orderBy("milestone.id")
      .execute(),
  ]);
  const count = (id: number, kind: keyof typeof MILESTONE_KIND_LABELS) => results.filter((r) => r.mentorship_id === id && r.kind === kind).length;
  const title = `${studio.name}学徒及成果`;
  return workbook(
    sheet(
      "学徒",
      title,
      [
        { header: "学徒", value: (m) => m.name },
        { header: "身份证号", width: 22, value: (m) => m.id_number_masked },
        { header: "工作单位", width: 24, value: (m) => m.employer },
        { header: "技术等级", value: (m) => m.skill_level },
        { header: "结对日期", value: (m) => m.start_date },
        { header: "计划出师", value: (m) => m.planned_end },
        { header: "培养目标", width: 30, value: (m) => m.goals },
        { header: "状态", value: (m) => MENTORSHIP_STATUS_LABELS[m.status] },
        { header: "结束日期", value: (m) => m.ended_on },
        { header: "结束原因", width: 20, value: (m) => m.end_reason },
        ...(Object.keys(MILESTONE_KIND_LABELS) as Array<keyof typeof MILESTONE_KIND_LABELS>).map((kind): Column<(typeof pairings)[number]> => ({
          header: MILESTONE_KIND_LABELS[kind],
          kind: "number",
          value: (m) => count(m.id, kind),
        })),
        {
          header: "经济效益",
          kind: "money",
          value: (m) => results.filter((r) => r.mentorship_id === m.id).reduce((sum, r) => sum + Number(r.benefit_fen ?? 0), 0),
        },
      ],
      pairings,
    ),
    sheet(
      "成果",
      `${title}（已认定）`,
      [
        { header: "学徒", value: (r) => r.name },
        { header: "类别", value: (r) => MILESTONE_KIND_LABELS[r.kind] },
        { header: "日期", value: (r) => r.occurred_on },
        { header: "内容", width: 48, value: (r) => describeMilestone(r.kind, r.details, null) },
        { header: "经济效益", kind: "money", value: (r) => r.benefit_fen },
      ],
      results,
    ),
  );
}

/**
 * The year's 年度考核 for the superior union: every studio's figures (plan against what the records
 * count, its money) and its results (the scorecard per criterion, the report, the 验收 and grade).
 */
export async function evaluationWorkbook(db: DB, user: SessionUser, year: number): Promise<Buffer> {
  const [figures, board] = await Promise.all([yearlyFigures(db, user, year), evaluationBoard(db, user, year)]);
  const keys = Object.keys(PLAN_TARGETS) as PlanKey[];
  const max = board.criteria.reduce((sum, c) => sum + c.weight, 0);
  return workbook(
    sheet(
      `${year}年度`,
      `${year}年度工匠工作室统计表`,
      [
        { header: "单位", value: (r) => r.unit_name },
        { header: "工作室", width: 24, value: (r) => r.name },
        { header: "领衔工匠", value: (r) => r.leader_name },
        ...keys.flatMap((k): Array<Column<(typeof figures)[number]>> => [
          { header: `${PLAN_TARGETS[k]}计划`, kind: "number", value: (r) => r.plan[k] },
          { header: `${PLAN_TARGETS[k]}完成`, kind: "number", value: (r) => r.actual[k] },
        ]),
        { header: "当年到账", kind: "money", value: (r) => r.receivedFen },
        { header: "当年支出", kind: "money", value: (r) => r.spentFen },
        { header: "年度总结", value: (r) => (r.report_status ? YEAR_STATUS_LABELS[r.report_status] : "未报送") },
        { header: "验收得分", kind: "number", value: (r) => r.score },
        { header: "考核等次", value: (r) => (r.grade ? GRADE_LABELS[r.grade] : "") },
      ],
      figures,
    ),
    sheet(
      "考核结果",
      `${year}年度工匠工作室考核结果`,
      [
        { header: "单位", value: (r) => r.unit_name },
        { header: "工作室", width: 24, value: (r) => r.name },
        { header: "领衔工匠", value: (r) => r.leader_name },
        ...board.criteria.map((c): Column<(typeof board.rows)[number]> => ({
          header: `${c.label}（${c.weight}分）`,
          kind: "number",
          value: (r) => r.scorecard.parts.find((p) => p.key === c.key)?.points,
        })),
        { header: `自评得分（满分${max}）`, kind: "number", value: (r) => (board.criteria.length ? r.scorecard.total : null) },
        { header: "年度总结", value: (r) => (r.report_status ? YEAR_STATUS_LABELS[r.report_status] : "未报送") },
        { header: "验收得分", kind: "number", value: (r) => r.score },
        { header: "考核等次", value: (r) => (r.grade ? GRADE_LABELS[r.grade] : "未评定") },
        { header: "验收意见", width: 30, value: (r) => r.comment },
        { header: "摘牌审查", value: (r) => (r.revocationReview ? "连续两年不合格，建议摘牌审查" : "") },
      ],
      board.rows,
    ),
  );
}
