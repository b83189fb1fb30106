import { parseWithZod, textFields } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { HistoryCard } from "~/components/HistoryCard";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { formatFen } from "~/lib/money";
import { historyOf } from "~/modules/audit/audit.server";
import { canEditStudio, canManageApprentices, STUDIO_STATUS_LABELS, type StudioStatus, studioWorkflow } from "~/modules/studios/policy";
import { studioStepSchema } from "~/modules/studios/schema.server";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import { evaluationsOf } from "~/modules/studios/evaluation.server";
import { figuresByStudioAndYear } from "~/modules/studios/figures.server";
import { mentorshipsOf } from "~/modules/studios/mentorships.server";
import { studioForViewer, takeStudioStep } from "~/modules/studios/studios.server";
import { relationTo } from "~/auth/relation";
import { FieldError } from "~/components/forms";
import { parseYuan } from "~/lib/money";
import { YEAR_STATUS_LABELS } from "~/modules/studios/cycle";
import { reconfirmSchema } from "~/modules/studios/cycle-schema.server";
import { decideReconfirmation, studioCycleSummary } from "~/modules/studios/cycle.server";
import { yearInTaizhou } from "~/lib/time";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { BackLink } from "~/components/BackLink";
import { StepForm } from "~/components/StepForm";
import { FOCUS_SECTOR_LABELS, MENTORSHIP_STATUS_LABELS } from "~/modules/studios/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.studio.name ?? "工作室"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const year = yearInTaizhou();
  const [evaluations, mentorships, history, figures, cycle] = await Promise.all([
    evaluationsOf(db, studio.id),
    mentorshipsOf(db, studio.id),
    historyOf(db, "studio", studio.id),
    figuresByStudioAndYear(db, [studio.id], [year, year - 1]),
    studioCycleSummary(db, user, studio),
  ]);
  const byYear = figures.get(studio.id)!;
  const { revocationReview, ...summary } = cycle;
  return json({
    studio,
    evaluations: { ...evaluations, revocationReview },
    ...summary,
    canReconfirm: relationTo(user, studio.org_unit_id, null) === "city" && ["accredited", "active", "suspended"].includes(studio.status),
    mentorships,
    history,
    figures: [year, year - 1].map((y) => ({ year: y, ...byYear.get(y)! })),
    steps: studioWorkflow.offered(user, studio),
    canEdit: canEditStudio(user, studio),
    canAddApprentice: canManageApprentices(user, studio),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const formData = await request.formData();
  if (formData.get("intent") === "reconfirm") {
    if (relationTo(user, studio.org_unit_id, null) !== "city")
      return json({ step: "reconfirm", message: "重新确认由市总工会决定", field: null }, { status: 403 });
    const parsed = reconfirmSchema.safeParse(textFields(formData));
    if (!parsed.success)
      return json({ step: "reconfirm", message: parsed.error.issues[0].message, field: String(parsed.error.issues[0].path[0] ?? "") }, { status: 400 });
    const money = parsed.data.grantAmount ? parseYuan(parsed.data.grantAmount) : null;
    if (money && !money.ok) return json({ step: "reconfirm", message: money.message, field: "grantAmount" }, { status: 400 });
    const result = await decideReconfirmation(db, user, studio, {
      periodEnd: parsed.data.periodEnd,
      outcome: parsed.data.outcome,
      comment: parsed.data.comment,
      grant: money?.ok && money.fen > 0 && parsed.data.grantDocument ? { amountFen: money.fen, documentNumber: parsed.data.grantDocument } : null,
    });
    if (!result.ok) return json({ step: "reconfirm", message: result.message, field: result.field ?? null }, { status: result.status });
    return json({ step: "reconfirm", message: null, field: null });
  }
  const submission = parseWithZod(formData, { schema: studioStepSchema });
  if (submission.status !== "success") return json({ step: null, message: "未知的操作", field: null }, { status: 400 });
  const { step, ...input } = submission.value;
  const result = await takeStudioStep(db, user, studio.id, step, input);
  if (!result.ok) return json({ step, message: result.message, field: result.field ?? null }, { status: result.status });
  return json({ step, message: null, field: null });
}

export default function StudioPage() {
  const {
    studio,
    evaluations,
    mentorships,
    history,
    figures,
    steps,
    canEdit,
    canAddApprentice,
    year,
    yearStatus,
    progress,
    fund,
    grantSources,
    reconfirmations,
    canReconfirm,
  } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const active = mentorships.filter((m) => m.status === "active");
  return (
    <section>
      <BackLink to="/studios">工匠工作室</BackLink>
      <div className="page-head">
        <h1>{studio.name}</h1>
        <span className="badge">{STUDIO_STATUS_LABELS[studio.status as StudioStatus]}</span>
      </div>
      {studio.status_reason ? <p className="notice">说明：{studio.status_reason}</p> : null}
      {evaluations.revocationReview ? (
        <p className="form-errors" role="alert">
          连续两年考核不合格或未获重新确认，建议启动摘牌审查。
        </p>
      ) : null}
      <dl className="facts card">
        <dt>领衔工匠</dt>
        <dd>
          <Link to={`/people/${studio.person_id}`}>{studio.leader_name}</Link>（{studio.award_title}，证书 {studio.certificate_number}）
        </dd>
        <dt>依托企业</dt>
        <dd>{studio.host_enterprise}</dd>
        <dt>行业</dt>
        <dd>
          {studio.industry} · {FOCUS_SECTOR_LABELS[studio.focus_sector]}
        </dd>
        <dt>所属单位</dt>
        <dd>{studio.unit_name}</dd>
        <dt>地址</dt>
        <dd>{studio.address}</dd>
        <dt>主攻方向</dt>
        <dd className="pre">{studio.focus_areas}</dd>
        <dt>建设方案</dt>
        <dd className="pre">{studio.founding_plan}</dd>
        {studio.plaque_number ? (
          <>
            <dt>授牌</dt>
            <dd>
              {studio.plaque_number}（{studio.accredited_on}） · <Link to={`/studios/${studio.id}/plaque`}>打印牌匾</Link>
            </dd>
          </>
        ) : null}
        <dt>申请表</dt>
        <dd>
          <Link to={`/studios/${studio.id}/application`}>打印工作室创建申请表</Link>
        </dd>
      </dl>

      {steps.length || canEdit ? (
        <div className="card">
          <h2>办理</h2>
          {canEdit ? (
            <p>
              <Link className="button" to={`/studios/${studio.id}/edit`}>
                修改申请
              </Link>
            </p>
          ) : null}
          {steps.map((s) => (
            <StepForm key={s.step} {...s} expected={studio.status}>
              {s.step === "accredit" ? (
                <>
                  <label>
                    牌匾编号
                    <input name="plaqueNumber" required maxLength={40} />
                  </label>
                  <label>
                    授牌日期
                    <input type="date" name="accreditedOn" required />
                  </label>
                </>
              ) : null}
            </StepForm>
          ))}
          {data?.message && data.step !== "reconfirm" ? (
            <p className="form-errors" role="alert">
              {data.message}
            </p>
          ) : null}
        </div>
      ) : null}

      <div className="card">
        <div className="page-head">
          <h2>“1+N”师带徒：在带学徒 {active.length} 人</h2>
          <div className="actions">
            {canAddApprentice ? (
              <Link className="button primary" to={`/studios/${studio.id}/apprentices/new`}>
                登记学徒
              </Link>
            ) : null}
            {mentorships.length ? (
              <DownloadLink className="button" href={`/studios/${studio.id}/apprentices/export`}>
                导出学徒及成果
              </DownloadLink>
            ) : null}
          </div>
        </div>
        <DataTable
          rows={mentorships}
          empty="还没有学徒。"
          columns={[
            { label: "学徒", cell: (m) => <Link to={`/mentorships/${m.id}`}>{m.name}</Link> },
            { label: "技术等级", cell: (m) => m.skill_level },
            {
              label: "结对",
              cell: (m) => (
                <>
                  {m.start_date} 至 {m.ended_on ?? m.planned_end}
                </>
              ),
            },
            { label: "状态", cell: (m) => MENTORSHIP_STATUS_LABELS[m.status] },
            { label: "已认定成果", cell: (m) => m.verified, num: true },
            { label: "待核实", cell: (m) => m.pending, num: true },
          ]}
        />
      </div>

      {studio.accredited_on ? (
        <div className="card">
          <div className="page-head">
            <h2>{year}年度计划与完成</h2>
            <Link className="button" to={`/studios/${studio.id}/years/${year}`}>
              {yearStatus ? YEAR_STATUS_LABELS[yearStatus] : "报送年度计划"}
            </Link>
          </div>
          <DataTable
            rows={progress}
            rowKey={(p) => p.key}
            compact
            label={`${year}年度计划与完成`}
            columns={[
              { label: "项目", cell: (p) => p.label },
              { label: "计划", num: true, cell: (p) => p.target },
              { label: "完成", num: true, cell: (p) => p.actual },
            ]}
          />
          <p>
            <Link to={`/studios/${studio.id}/years/${year - 1}`}>{year - 1}年度总结与验收</Link>
          </p>
        </div>
      ) : null}

      {studio.accredited_on ? (
        <div className="card">
          <div className="page-head">
            <h2>经费台账</h2>
            <Link className="button" to={`/studios/${studio.id}/funds`}>
              查看台账
            </Link>
          </div>
          <p>
            累计到账 {formatFen(fund.received)}，已支出 {formatFen(fund.spent)}，可用余额 <strong>{formatFen(fund.balance)}</strong>
            {grantSources.length ? `（来源：${grantSources.join("、")}）` : ""}
          </p>
        </div>
      ) : null}

      {reconfirmations.length ? (
        <div className="card" id="reconfirm">
          <h2>重新确认</h2>
          {reconfirmations.map((p) => (
            <div key={p.to}>
              <p>
                {p.from}–{p.to}年：{p.years.map((y) => `${y.year}年${y.grade ? GRADE_LABELS[y.grade] : "未考核"}`).join("，")}。
                {p.decision
                  ? p.decision.outcome === "reconfirmed"
                    ? " 已重新确认。"
                    : ` 未获重新确认：${p.decision.comment ?? ""}`
                  : p.advice === "reconfirm"
                    ? " 建议重新确认。"
                    : p.advice === "decline"
                      ? " 周期内有不合格年度，建议不予重新确认。"
                      : " 周期内尚有年度未考核。"}
              </p>
              {canReconfirm && !p.decision ? (
                <Form method="post" className="form-grid">
                  <input type="hidden" name="intent" value="reconfirm" />
                  <input type="hidden" name="periodEnd" value={p.to} />
                  <label className="field">
                    结论
                    <select name="outcome" defaultValue={p.advice === "decline" ? "declined" : "reconfirmed"}>
                      <option value="reconfirmed">重新确认</option>
                      <option value="declined">不予重新确认（进入摘牌审查）</option>
                    </select>
                  </label>
                  <label className="field">
                    重新确认资助（元，可空）
                    <input name="grantAmount" inputMode="decimal" />
                  </label>
                  <label className="field">
                    资助文件文号
                    <input name="grantDocument" maxLength={60} />
                  </label>
                  <label className="field">
                    意见
                    <input name="comment" maxLength={500} />
                  </label>
                  <button type="submit" className="button primary">
                    保存{p.from}–{p.to}年重新确认结论
                  </button>
                  {data?.step === "reconfirm" && data.message ? <FieldError errors={[data.message]} /> : null}
                </Form>
              ) : null}
            </div>
          ))}
        </div>
      ) : null}

      <div className="card">
        <h2>年度成效（仅计经核实的成果）</h2>
        <DataTable
          rows={figures}
          rowKey={(f) => f.year}
          compact
          columns={[
            { label: "年度", cell: (f) => f.year },
            { label: "带徒", cell: (f) => f.apprenticesMentored, num: true },
            { label: "技能提升", cell: (f) => f.skillUpgrades, num: true },
            { label: "竞赛获奖", cell: (f) => f.competitionPlacings, num: true },
            { label: "技能骨干", cell: (f) => f.backbones, num: true },
            { label: "创新成果", cell: (f) => f.innovations, num: true },
            { label: "举办活动", cell: (f) => f.eventsHeld, num: true },
            { label: "参加活动", cell: (f) => f.eventsAttended, num: true },
            { label: "经济效益", cell: (f) => formatFen(f.benefitFen), num: true },
          ]}
        />
      </div>

      {evaluations.rows.length ? (
        <div className="card">
          <h2>年度考核</h2>
          <DataTable
            rows={evaluations.rows}
            rowKey={(e) => e.year}
            columns={[
              { label: "年度", cell: (e) => <Link to={`/studios/${studio.id}/years/${e.year}`}>{e.year}年</Link> },
              { label: "得分", cell: (e) => `${e.score} 分`, num: true },
              { label: "等级", cell: (e) => <span className={e.grade === "fail" ? "badge bad" : "badge ok"}>{GRADE_LABELS[e.grade]}</span> },
              { label: "评语", cell: (e) => e.comment ?? "" },
            ]}
          />
        </div>
      ) : null}

      <HistoryCard history={history} />
    </section>
  );
}
