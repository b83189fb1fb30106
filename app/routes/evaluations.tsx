import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { unknownIntent } from "~/lib/intent.server";
import { FIGURE_LABELS, GRADE_LABELS, SUGGESTED_CRITERIA, type FigureKey } from "~/modules/studios/evaluation";
import { evaluationBoard, gradeStudio, saveCriteria } from "~/modules/studios/evaluation.server";
import { yearInTaizhou, yearParam } from "~/lib/time";
import { Options } from "~/components/forms";
import { DataTable } from "~/components/DataTable";
import { gradeSchema } from "~/modules/studios/schema.server";

export const meta: MetaFunction = () => [{ title: "工作室年度考核 · 匠心" }];

function yearOf(request: Request): number {
  return yearParam(new URL(request.url).searchParams.get("year"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "evaluation.grade");
  const year = yearOf(request);
  const board = await evaluationBoard(getDb(), user, year);
  return json({ year, ...board, canEditCriteria: can(user, "evaluation.criteria"), suggested: SUGGESTED_CRITERIA });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "evaluation.grade");
  const year = yearOf(request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = getDb();
  if (intent === "grade") {
    const parsed = gradeSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return json({ intent, message: parsed.error.issues[0].message, studioId: null }, { status: 400 });
    const result = await gradeStudio(db, user, parsed.data.studioId, year, parsed.data);
    if (!result.ok) return json({ intent, message: result.message, studioId: parsed.data.studioId }, { status: result.status });
    return json({ intent, message: null, studioId: parsed.data.studioId });
  }
  if (intent === "criteria") {
    await requirePermission(request, "evaluation.criteria");
    const rows = [];
    for (const key of Object.keys(FIGURE_LABELS) as FigureKey[]) {
      if (formData.get(`use-${key}`) !== "on") continue;
      const weight = Number(formData.get(`weight-${key}`));
      const target = Number(formData.get(`target-${key}`));
      if (!Number.isInteger(weight) || weight < 0 || weight > 100 || !Number.isInteger(target) || target < 1 || target > 1000) {
        return json({ intent, message: `“${FIGURE_LABELS[key]}”的权重应为0–100的整数，满分数量应为正整数`, studioId: null }, { status: 400 });
      }
      rows.push({ key, label: FIGURE_LABELS[key], weight, target });
    }
    if (!rows.length) return json({ intent, message: "至少选择一项考核指标", studioId: null }, { status: 400 });
    const result = await saveCriteria(db, user, year, rows);
    if (!result.ok) return json({ intent, message: result.message, studioId: null }, { status: 400 });
    return json({ intent, message: null, studioId: null });
  }
  return unknownIntent();
}

export default function Evaluations() {
  const { year, criteria, rows, canEditCriteria, suggested } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const shown = criteria.length ? criteria : suggested;
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
        {canEditCriteria ? (
          <Form method="post" action={`?year=${year}`}>
            <input type="hidden" name="intent" value="criteria" />
            <table className="table compact">
              <thead>
                <tr>
                  <th>采用</th>
                  <th>指标</th>
                  <th>权重（分）</th>
                  <th>满分数量</th>
                </tr>
              </thead>
              <tbody>
                {(Object.keys(FIGURE_LABELS) as FigureKey[]).map((key) => {
                  const c = shown.find((x) => x.key === key);
                  return (
                    <tr key={key}>
                      <td>
                        <input type="checkbox" name={`use-${key}`} defaultChecked={!!c} aria-label={`采用${FIGURE_LABELS[key]}`} />
                      </td>
                      <td>{FIGURE_LABELS[key]}</td>
                      <td>
                        <input
                          name={`weight-${key}`}
                          defaultValue={c?.weight ?? 10}
                          inputMode="numeric"
                          className="rank-input"
                          aria-label={`${FIGURE_LABELS[key]}的权重`}
                        />
                      </td>
                      <td>
                        <input
                          name={`target-${key}`}
                          defaultValue={c?.target ?? 1}
                          inputMode="numeric"
                          className="rank-input"
                          aria-label={`${FIGURE_LABELS[key]}的满分数量`}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <button type="submit" className="button">
              保存{year}年考核标准
            </button>
          </Form>
        ) : (
          <ul>
            {criteria.map((c) => (
              <li key={c.key}>
                {c.label}：{c.weight} 分，达到 {c.target} 得满分
              </li>
            ))}
          </ul>
        )}
        {data?.intent === "criteria" && data.message ? (
          <p className="form-errors" role="alert">
            {data.message}
          </p>
        ) : null}
      </div>

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
          { label: `得分${max ? `（满分${max}）` : ""}`, num: true, cell: (r) => (criteria.length ? r.scorecard.total : "—") },
          {
            label: "考核等次",
            className: "grade-cell",
            cell: (r) => (
              <>
                {r.grade ? <span className={r.grade === "fail" ? "badge bad" : "badge ok"}>{GRADE_LABELS[r.grade]}</span> : null}
                {r.canGrade && criteria.length && year <= yearInTaizhou() ? (
                  <Form method="post" action={`?year=${year}`} className="inline-form">
                    <input type="hidden" name="intent" value="grade" />
                    <input type="hidden" name="studioId" value={r.id} />
                    <select name="grade" defaultValue={r.grade ?? "pass"} aria-label={`${r.name}的考核等次`}>
                      <Options choices={GRADE_LABELS} />
                    </select>
                    <input name="comment" defaultValue={r.comment ?? ""} placeholder="意见（不合格必填）" aria-label={`${r.name}的考核意见`} />
                    <button type="submit" className="button">
                      {r.grade ? "改评" : "评定"}
                    </button>
                  </Form>
                ) : null}
                {data?.intent === "grade" && data.studioId === r.id && data.message ? (
                  <p className="field-error" role="alert">
                    {data.message}
                  </p>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
