import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { ColumnHeads, FenCells, PrintSheet } from "~/components/PrintSheet";
import { getDb } from "~/db.server";
import { granted, idParam, yearPathParam } from "~/lib/http.server";
import { planProgress, YEAR_STATUS_LABELS, type Plan } from "~/modules/studios/cycle";
import { checklistFor, evaluationOfYear, findStudioYear, reportFigures } from "~/modules/studios/cycle.server";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import { studioForViewer } from "~/modules/studios/studios.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.year ?? ""}年度考核表 · ${data?.studio.name ?? ""}` }];

/** A studio's 年度考核表: plan against actual, the scorecard, the money, the report and the 验收, for the studio's file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const year = yearPathParam(params.year);
  const [row, figures, evaluation] = await Promise.all([
    findStudioYear(db, studio.id, year),
    reportFigures(db, studio, year),
    evaluationOfYear(db, studio.id, year),
  ]);
  const checklist = evaluation?.checklist ? await checklistFor(db, year) : [];
  return json({
    studio: {
      id: studio.id,
      name: studio.name,
      unit: studio.unit_name,
      leader: studio.leader_name,
      host: studio.host_enterprise,
      plaque: studio.plaque_number,
    },
    year,
    status: row?.status ?? "planned",
    selfAssessment: row?.self_assessment ?? null,
    progress: planProgress((row?.plan ?? {}) as Partial<Plan>, figures.actual),
    scorecard: figures.scorecard,
    money: figures.money,
    evaluation,
    checklist: checklist.map((c) => ({ label: c.label, points: c.points, given: evaluation?.checklist?.[c.key] ?? null })),
  });
}

export default function EvaluationSheet() {
  const { studio, year, status, selfAssessment, progress, scorecard, money, evaluation, checklist } = useLoaderData<typeof loader>();
  return (
    <PrintSheet
      back={{ to: `/studios/${studio.id}/years/${year}`, label: `${year}年度计划与总结` }}
      title={`${year}年度“台州工匠”工作室考核表`}
      particulars={`${studio.name} · ${studio.unit} · 领衔工匠 ${studio.leader}${studio.plaque ? ` · 牌匾编号 ${studio.plaque}` : ""}`}
    >
      <h2>一、年度计划完成情况</h2>
      <table className="paper-form">
        <ColumnHeads labels={["项目", "计划", "完成", "是否完成"]} />
        <tbody>
          {progress.map((p) => (
            <tr key={p.key}>
              <th scope="row">{p.label}</th>
              <td className="num">{p.target}</td>
              <td className="num">{p.actual}</td>
              <td>{p.met ? "完成" : "未完成"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>二、考核评分（按已核实的记录）</h2>
      <table className="paper-form">
        <ColumnHeads labels={["考核项目", "满分目标", "完成", "分值", "得分"]} />
        <tbody>
          {scorecard.parts.length ? (
            scorecard.parts.map((p) => (
              <tr key={p.key}>
                <th scope="row">{p.label}</th>
                <td className="num">{p.target}</td>
                <td className="num">{p.figure}</td>
                <td className="num">{p.weight}</td>
                <td className="num">{p.points}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={5}>{year}年尚未设定考核标准。</td>
            </tr>
          )}
          <tr>
            <th scope="row" colSpan={4}>
              自评得分（满分{scorecard.max}）
            </th>
            <td className="num">
              <strong>{scorecard.total}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      <h2>三、经费收支</h2>
      <table className="paper-form">
        <tbody>
          <tr>
            <FenCells label="期初余额" fen={money.openingFen} />
            <FenCells label="本年到账" fen={money.receivedFen} />
          </tr>
          <tr>
            <FenCells label="本年支出" fen={money.spentFen} />
            <FenCells label="期末余额" fen={money.closingFen} />
          </tr>
        </tbody>
      </table>
      <h2>四、年度总结与自评（{YEAR_STATUS_LABELS[status]}）</h2>
      <table className="paper-form">
        <tbody>
          <tr className="tall">
            <td className="pre">{selfAssessment ?? "（尚未报送年度总结）"}</td>
          </tr>
          <tr>
            <td>
              <p className="sign">工作室领衔人（签字）：　　　　　　　年　　月　　日</p>
            </td>
          </tr>
        </tbody>
      </table>
      <h2>五、市总工会验收</h2>
      <table className="paper-form">
        <ColumnHeads labels={["验收项目", "分值", "得分"]} />
        <tbody>
          {checklist.map((c, i) => (
            <tr key={i}>
              <th scope="row">{c.label}</th>
              <td className="num">{c.points}</td>
              <td className="num">{c.given ?? ""}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">验收得分</th>
            <td colSpan={2} className="num">
              {evaluation ? evaluation.score : ""}
            </td>
          </tr>
          <tr>
            <th scope="row">考核等次</th>
            <td colSpan={2}>{evaluation ? GRADE_LABELS[evaluation.grade] : "（尚未验收）"}</td>
          </tr>
          <tr className="opinion-row">
            <th scope="row">验收意见</th>
            <td colSpan={2}>
              {evaluation?.comment ?? ""}
              <p className="sign">县级总工会（盖章）：　　　　　　市总工会（盖章）：　　　　　　年　　月　　日</p>
            </td>
          </tr>
        </tbody>
      </table>
    </PrintSheet>
  );
}
