import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatFen } from "~/lib/money";
import { YEAR_STATUS_LABELS } from "~/modules/studios/cycle";
import { FIGURE_LABELS, GRADE_LABELS, type FigureKey } from "~/modules/studios/evaluation";
import type { loader } from "./route";

/** The year's 考核: the city's criteria, checklist and policy (set here), and every studio's standing. */
export function EvaluationsPage({
  year,
  criteria,
  rows,
  canEditCriteria,
  suggested,
  checklist,
  suggestedChecklist,
  policy,
  quota,
}: SerializeFrom<typeof loader>) {
  const policySaved = useReply("policy");
  const shown = criteria.length ? criteria : suggested;
  const shownChecklist = checklist.length
    ? checklist.map((c) => ({ key: c.key, label: c.label, points: c.points, needsPhoto: c.needs_photo }))
    : suggestedChecklist;
  const max = criteria.reduce((s, c) => s + c.weight, 0);
  return (
    <section>
      <div className="page-head">
        <h1>工作室年度考核 · {year}年</h1>
        <Form method="get" className="inline-form">
          <label>
            年度
            <input name="year" type="number" defaultValue={year} min={2018} max={2100} />
          </label>
          <button type="submit" className="button">
            切换
          </button>
        </Form>
      </div>

      <div className="card">
        <h2>考核标准</h2>
        {criteria.length === 0 ? (
          <p className="notice">
            {year}年尚未设定考核标准{canEditCriteria ? "，下面是建议值，保存后生效" : "，请等待市总工会设定"}。
          </p>
        ) : null}
        <YearSetting
          editable={canEditCriteria}
          intent="criteria"
          year={year}
          heads={["采用", "指标", "权重（分）", "满分数量"]}
          submit={`保存${year}年考核标准`}
          lines={criteria.map((c) => ({ key: c.key, text: `${c.label}：${c.weight} 分，达到 ${c.target} 得满分` }))}
        >
          {(Object.keys(FIGURE_LABELS) as FigureKey[]).map((key) => {
            const c = shown.find((x) => x.key === key);
            return (
              <tr key={key}>
                <td>
                  <input type="checkbox" name={`use-${key}`} defaultChecked={!!c} aria-label={`采用${FIGURE_LABELS[key]}`} />
                </td>
                <td>{FIGURE_LABELS[key]}</td>
                <NumberCell name={`weight-${key}`} defaultValue={c?.weight ?? 10} label={`${FIGURE_LABELS[key]}的权重`} />
                <NumberCell name={`target-${key}`} defaultValue={c?.target ?? 1} label={`${FIGURE_LABELS[key]}的满分数量`} />
              </tr>
            );
          })}
        </YearSetting>
      </div>

      <div className="card">
        <h2>现场验收清单</h2>
        <p className="hint">市总工会现场验收时逐项打分，勾选的项目须上传现场照片。当年已有工作室完成验收后清单不能再修改。</p>
        {checklist.length === 0 ? (
          <p className="notice">
            {year}年尚未设定验收清单{canEditCriteria ? "，下面是建议值，保存后生效" : ""}。
          </p>
        ) : null}
        <YearSetting
          editable={canEditCriteria}
          intent="checklist"
          year={year}
          heads={["验收项目", "分值", "须照片"]}
          submit={`保存${year}年验收清单`}
          lines={checklist.map((c) => ({ key: c.key, text: `${c.label}：${c.points} 分${c.needs_photo ? "（须现场照片）" : ""}` }))}
        >
          {Array.from({ length: Math.max(shownChecklist.length + 2, 6) }, (_, i) => {
            const item = shownChecklist[i];
            return (
              <tr key={i}>
                <td>
                  <input type="hidden" name={`key-${i}`} value={item?.key ?? ""} />
                  <input name={`label-${i}`} defaultValue={item?.label ?? ""} maxLength={60} aria-label={`第${i + 1}项验收项目`} />
                </td>
                <NumberCell name={`points-${i}`} defaultValue={item?.points ?? ""} label={`第${i + 1}项的分值`} />
                <td>
                  <input type="checkbox" name={`photo-${i}`} defaultChecked={!!item?.needsPhoto} aria-label={`第${i + 1}项须上传现场照片`} />
                </td>
              </tr>
            );
          })}
        </YearSetting>
      </div>

      <div className="card">
        <h2>工作室政策</h2>
        {canEditCriteria ? (
          <Form method="post" action={`?year=${year}`} className="form-grid">
            <input type="hidden" name="intent" value="policy" />
            <label className="field">
              单笔支出超过（元）须县级审批
              <input name="approvalThreshold" inputMode="decimal" required defaultValue={(policy.approvalThresholdFen / 100).toFixed(2)} />
            </label>
            <label className="field">
              “优秀”比例上限（%）
              <input name="excellentCapPercent" inputMode="numeric" required defaultValue={policy.excellentCapPercent} />
            </label>
            <label className="field">
              重新确认周期（年）
              <input name="reconfirmYears" inputMode="numeric" required defaultValue={policy.reconfirmYears} />
            </label>
            <button type="submit" className="button">
              保存{year}年政策
            </button>
            <ReplyNotice reply={policySaved} />
          </Form>
        ) : (
          <p>
            单笔支出超过 {formatFen(policy.approvalThresholdFen)} 须县级审批；“优秀”不超过 {policy.excellentCapPercent}%；每 {policy.reconfirmYears}{" "}
            年重新确认。
          </p>
        )}
      </div>

      <p className="lead">
        {year}年度“优秀”：已评 {quota.given} 个，上限 {quota.cap} 个（{quota.studios} 个工作室的 {quota.percent}%）。
        <DownloadLink className="button" href={`/evaluations/export?year=${year}`}>
          导出{year}年度统计表及考核结果
        </DownloadLink>
      </p>

      <DataTable
        rows={rows}
        wrapHeads
        label={`${year}年度考核`}
        empty={`${year}年没有需要考核的工作室。`}
        columns={[
          {
            label: "工作室",
            cell: (r) => (
              <>
                <Link to={`/studios/${r.id}`}>{r.name}</Link>
                <br />
                <small>
                  {r.unit_name} · {r.leader_name}
                </small>
                {r.revocationReview ? <span className="badge bad">连续两年不合格，建议摘牌审查</span> : null}
              </>
            ),
          },
          ...criteria.map((c) => ({
            label: c.label,
            num: true,
            cell: (r: (typeof rows)[number]) => {
              const part = r.scorecard.parts.find((x) => x.key === c.key);
              return part ? `${part.figure}（${part.points}分）` : "—";
            },
          })),
          { label: `自评得分${max ? `（满分${max}）` : ""}`, num: true, cell: (r) => (criteria.length ? r.scorecard.total : "—") },
          {
            label: "年度总结与验收",
            className: "grade-cell",
            cell: (r) => (
              <>
                <Link to={`/studios/${r.id}/years/${year}`}>{r.report_status ? YEAR_STATUS_LABELS[r.report_status] : "未报送"}</Link>
                {r.grade ? (
                  <>
                    {" "}
                    <span className={r.grade === "fail" ? "badge bad" : "badge ok"}>{GRADE_LABELS[r.grade]}</span> {r.score} 分
                  </>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}

/** An editable table of the city's settings for the year: one row per item, saved together. */
/**
 * A year's setting as a table: for the city a form of its rows (`children`), for everyone else its
 * lines as saved; and the reply to the last save.
 */
function YearSetting({
  editable,
  intent,
  year,
  heads,
  submit,
  lines,
  children,
}: {
  editable: boolean;
  intent: string;
  year: number;
  heads: string[];
  submit: string;
  lines: Array<{ key: string; text: string }>;
  children: ReactNode;
}) {
  const reply = useReply(intent);
  return (
    <>
      {editable ? (
        <Form method="post" action={`?year=${year}`}>
          <input type="hidden" name="intent" value={intent} />
          <table className="table compact">
            <thead>
              <tr>
                {heads.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
          <button type="submit" className="button">
            {submit}
          </button>
        </Form>
      ) : (
        <ul>
          {lines.map((l) => (
            <li key={l.key}>{l.text}</li>
          ))}
        </ul>
      )}
      <ReplyNotice reply={reply} />
    </>
  );
}

/** A number typed into a table's cell. */
function NumberCell({ name, defaultValue, label }: { name: string; defaultValue: number | string; label: string }) {
  return (
    <td>
      <input name={name} defaultValue={defaultValue} inputMode="numeric" className="rank-input" aria-label={label} />
    </td>
  );
}
