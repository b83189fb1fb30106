import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { relationTo } from "~/auth/relation";
import { requirePermission } from "~/auth/session.server";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { FieldError, Options } from "~/components/forms";
import { StepForm } from "~/components/StepForm";
import { getDb } from "~/db.server";
import { granted, idParam, yearPathParam } from "~/lib/http.server";
import { unknownIntent } from "~/lib/intent.server";
import { textFields } from "~/lib/form.server";
import { formatFen } from "~/lib/money";
import { filesOf, readForm } from "~/lib/upload.server";
import {
  draftSelfAssessment,
  PLAN_TARGETS,
  planProgress,
  SPENDING_CATEGORY_LABELS,
  studioYearWorkflow,
  YEAR_STATUS_LABELS,
  type Plan,
  type PlanKey,
} from "~/modules/studios/cycle";
import { acceptanceSchema, planSchema, reportSchema, yearStepSchema } from "~/modules/studios/cycle-schema.server";
import {
  acceptancePhotos,
  acceptStudioYear,
  checklistFor,
  evaluationOfYear,
  excellentQuota,
  filePlan,
  findStudioYear,
  reportFigures,
  reportOpen,
  reviewReport,
  submitReport,
} from "~/modules/studios/cycle.server";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import { studioForViewer } from "~/modules/studios/studios.server";
import { UploadInput } from "~/components/UploadInput";
import { FileThumb } from "~/components/FileThumb";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.year ?? ""}年度计划与总结 · ${data?.studio.name ?? "工作室"} · 匠心` }];

const PLAN_KEYS = Object.keys(PLAN_TARGETS) as PlanKey[];

async function load(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  return { user, db, studio, year: yearPathParam(params.year) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, studio, year } = await load(request, params);
  const row = await findStudioYear(db, studio.id, year);
  const status = row?.status ?? "planned";
  const relation = relationTo(user, studio.org_unit_id, studio.person_id);
  const record = { status, org_unit_id: studio.org_unit_id, person_id: studio.person_id };
  const steps = row ? studioYearWorkflow.offered(user, record) : [];
  const canAccept = steps.some((s) => s.step === "accept");
  const [figures, checklist, photos, evaluation, quota] = await Promise.all([
    reportFigures(db, studio, year),
    canAccept || status === "accepted" ? checklistFor(db, year) : Promise.resolve([]),
    acceptancePhotos(db, studio.id, year),
    evaluationOfYear(db, studio.id, year),
    canAccept ? excellentQuota(db, year) : Promise.resolve(null),
  ]);
  const plan = (row?.plan ?? {}) as Partial<Plan>;
  const running = ["accredited", "active", "suspended"].includes(studio.status) && !!studio.accredited_on && Number(studio.accredited_on.slice(0, 4)) <= year;
  return json({
    studio: { id: studio.id, name: studio.name, status: studio.status },
    year,
    row: row
      ? {
          status: row.status,
          summary: row.summary,
          selfAssessment: row.self_assessment,
          outreach: row.outreach,
          reason: row.status_reason,
          planFiled: !!row.plan_filed_at,
        }
      : null,
    status,
    plan,
    progress: planProgress(plan, figures.actual),
    figures,
    draft: row?.self_assessment ?? draftSelfAssessment(plan, figures.actual),
    canPlan: relation === "owner" && running && status === "planned",
    canReport: relation === "owner" && running && reportOpen(year) && (status === "planned" || status === "returned"),
    reviewSteps: steps.filter((s) => s.step === "county_return" || s.step === "county_pass"),
    canAccept,
    checklist,
    photos,
    evaluation,
    quota,
  });
}

type Reply = { intent: string; message: string | null; fieldErrors: Record<string, string[]>; saved: boolean };
const reply = (intent: string, status: number, message: string | null, fieldErrors: Record<string, string[]> = {}) =>
  json<Reply>({ intent, message, fieldErrors, saved: status === 200 }, { status });

function errorsOf(issues: Array<{ path: PropertyKey[]; message: string }>) {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return fieldErrors;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, db, studio, year } = await load(request, params);
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return reply("accept", 400, form.message);
  const fields = textFields(form.formData);
  const intent = typeof fields.intent === "string" ? fields.intent : "";
  const answer = (result: { ok: true } | { ok: false; status: number; message: string; field?: string }, saved: string) =>
    result.ok ? reply(intent, 200, saved) : reply(intent, result.status, result.message, result.field ? { [result.field]: [result.message] } : {});
  // Whose each form is, before anything in it is read.
  const mayAct = { plan: "owner", report: "owner", step: "county", accept: "city" } as Record<string, string | undefined>;
  const allowed = Object.hasOwn(mayAct, intent) ? mayAct[intent] : undefined;
  if (allowed && relationTo(user, studio.org_unit_id, studio.person_id) !== allowed) return reply(intent, 403, "您无权进行此操作");
  switch (intent) {
    case "plan": {
      const parsed = planSchema.safeParse(fields);
      if (!parsed.success) return reply(intent, 400, "请检查填写的内容", errorsOf(parsed.error.issues));
      return answer(await filePlan(db, user, studio, year, parsed.data as Plan), "年度计划已报送。");
    }
    case "report": {
      const parsed = reportSchema.safeParse(fields);
      if (!parsed.success) return reply(intent, 400, "请检查填写的内容", errorsOf(parsed.error.issues));
      return answer(
        await submitReport(db, user, studio, year, { ...parsed.data, expected: typeof fields.expected === "string" ? fields.expected : "" }),
        "年度总结已提交，等待县级总工会审核。",
      );
    }
    case "step": {
      const parsed = yearStepSchema.safeParse(fields);
      if (!parsed.success || (parsed.data.step !== "county_return" && parsed.data.step !== "county_pass")) return unknownIntent();
      const { step, ...input } = parsed.data;
      return answer(await reviewReport(db, user, studio, year, step, input), step === "county_pass" ? "已审核通过。" : "已退回。");
    }
    case "accept": {
      const parsed = acceptanceSchema.safeParse(fields);
      if (!parsed.success) return reply(intent, 400, "请检查填写的内容", errorsOf(parsed.error.issues));
      const points: Record<string, string> = {};
      const photos: Record<string, Array<{ name: string; bytes: Uint8Array }>> = {};
      // A score sent twice is no score.
      for (const [name, value] of Object.entries(fields)) if (name.startsWith("points-")) points[name.slice(7)] = typeof value === "string" ? value : "";
      for (const name of new Set([...form.formData.keys()].filter((k) => k.startsWith("photo-")))) photos[name.slice(6)] = await filesOf(form.formData, name);
      return answer(await acceptStudioYear(db, user, studio, year, { ...parsed.data, points, photos }), "验收结果已保存。");
    }
  }
  return unknownIntent();
}

export default function StudioYear() {
  const d = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = (intent: string, name: string) => (data?.intent === intent ? data.fieldErrors[name] : undefined);
  const message = (intent: string) =>
    data?.intent === intent && data.message ? (
      <p className={data.saved ? "notice success" : "form-errors"} role={data.saved ? "status" : "alert"}>
        {data.message}
      </p>
    ) : null;
  const { figures } = d;
  return (
    <section>
      <BackLink to={`/studios/${d.studio.id}`}>{d.studio.name}</BackLink>
      <div className="page-head">
        <h1>{d.year}年度计划与总结</h1>
        <span className="badge">{d.row ? YEAR_STATUS_LABELS[d.status] : "尚未报送年度计划"}</span>
        <Link className="button" to={`/studios/${d.studio.id}/years/${d.year}/print`}>
          打印考核表
        </Link>
      </div>
      {d.row?.reason && d.status === "returned" ? <p className="notice">退回理由：{d.row.reason}</p> : null}

      <div className="card">
        <h2>年度计划与完成情况</h2>
        <p className="hint">完成数取自平台上经核实的记录（服务企业为领衔人自报）。</p>
        {d.canPlan ? (
          <Form method="post" className="form-grid plan-form">
            <input type="hidden" name="intent" value="plan" />
            {PLAN_KEYS.map((k) => (
              <label key={k} className="field">
                {PLAN_TARGETS[k]}目标
                <input name={k} inputMode="numeric" required defaultValue={d.plan[k] ?? 0} />
                <FieldError errors={errors("plan", k)} />
              </label>
            ))}
            <button type="submit" className="button">
              {d.row?.planFiled ? "修改年度计划" : "报送年度计划"}
            </button>
            {message("plan")}
          </Form>
        ) : null}
        <DataTable
          rows={d.progress}
          rowKey={(p) => p.key}
          compact
          label="计划与完成"
          columns={[
            { label: "项目", cell: (p) => p.label },
            { label: "计划", num: true, cell: (p) => p.target },
            { label: "完成", num: true, cell: (p) => p.actual },
            { label: "", cell: (p) => (p.met ? <span className="badge ok">已完成</span> : <span className="badge bad">未完成</span>) },
          ]}
        />
      </div>

      <div className="card">
        <h2>年度总结</h2>
        <dl className="facts" aria-label="平台记录">
          <dt>对照考核标准自评得分</dt>
          <dd>{figures.scorecard.max ? `${figures.scorecard.total} / ${figures.scorecard.max} 分` : "当年考核标准尚未设定"}</dd>
          <dt>经费到账</dt>
          <dd className="num">{formatFen(figures.money.receivedFen)}</dd>
          <dt>经费支出</dt>
          <dd className="num">
            {formatFen(figures.money.spentFen)}
            {figures.spentByCategory.length
              ? `（${figures.spentByCategory.map((s) => `${SPENDING_CATEGORY_LABELS[s.category]} ${formatFen(s.fen)}`).join("，")}）`
              : ""}
          </dd>
          <dt>年末余额</dt>
          <dd className="num">{formatFen(figures.money.closingFen)}</dd>
        </dl>
        {d.canReport ? (
          <Form method="post" className="form-grid report-form">
            <input type="hidden" name="intent" value="report" />
            <input type="hidden" name="expected" value={d.status} />
            <label className="field">
              服务企业（家次，自报）
              <input name="outreach" inputMode="numeric" required defaultValue={d.row?.outreach ?? d.plan.outreach ?? 0} />
              <FieldError errors={errors("report", "outreach")} />
            </label>
            <label className="field">
              自我评价（已按平台记录预填，可修改）
              <textarea name="selfAssessment" rows={4} required maxLength={2000} defaultValue={d.draft} />
              <FieldError errors={errors("report", "selfAssessment")} />
            </label>
            <label className="field">
              年度工作总结
              <textarea name="summary" rows={8} required maxLength={5000} defaultValue={d.row?.summary ?? ""} />
              <FieldError errors={errors("report", "summary")} />
            </label>
            <button type="submit" className="button primary">
              提交年度总结
            </button>
            {message("report")}
          </Form>
        ) : d.row?.summary ? (
          <dl className="facts">
            <dt>自我评价</dt>
            <dd className="pre">{d.row.selfAssessment}</dd>
            <dt>年度工作总结</dt>
            <dd className="pre">{d.row.summary}</dd>
          </dl>
        ) : (
          <p>{d.status === "planned" ? "年度总结尚未提交。" : null}</p>
        )}
        {!d.canReport ? message("report") : null}
        {d.reviewSteps.map((s) => (
          <StepForm key={s.step} {...s} expected={d.status} intent="step" />
        ))}
        {message("step")}
      </div>

      {d.canAccept ? (
        <Form method="post" encType="multipart/form-data" className="card form-grid acceptance-form">
          <h2>现场验收</h2>
          {d.quota ? (
            <p className="hint">
              {d.year}年度“优秀”名额：{d.quota.studios}个工作室的{d.quota.percent}%，最多{d.quota.cap}个，已评{d.quota.given}个。
            </p>
          ) : null}
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="expected" value={d.status} />
          {d.checklist.length ? null : <p className="form-errors">{d.year}年的验收清单尚未设定，请先在“年度考核”页面设定。</p>}
          {d.checklist.map((item) => (
            <fieldset key={item.key} className="field">
              <legend>
                {item.label}（{item.points}分）
              </legend>
              <label>
                得分
                <input
                  name={`points-${item.key}`}
                  inputMode="numeric"
                  required
                  defaultValue={(d.evaluation?.checklist as Record<string, number> | null)?.[item.key] ?? ""}
                />
              </label>
              <FieldError errors={errors("accept", `points-${item.key}`)} />
              <label>
                现场照片{item.needs_photo ? "（必传）" : "（选传）"}
                <UploadInput name={`photo-${item.key}`} accept="image/jpeg,image/png" multiple />
              </label>
              <FieldError errors={errors("accept", `photo-${item.key}`)} />
              {d.photos
                .filter((p) => p.item_key === item.key)
                .map((p) => (
                  <FileThumb key={p.id} href={`/studio-files/${p.id}`} name={p.filename} type={p.content_type} />
                ))}
            </fieldset>
          ))}
          <label className="field">
            考核等次
            <select name="grade" defaultValue={d.evaluation?.grade ?? "pass"}>
              <Options choices={GRADE_LABELS} />
            </select>
            <FieldError errors={errors("accept", "grade")} />
          </label>
          <label className="field">
            验收意见（不合格必填）
            <input name="comment" maxLength={500} defaultValue={d.evaluation?.comment ?? ""} />
            <FieldError errors={errors("accept", "comment")} />
          </label>
          <button type="submit" className="button primary">
            {d.evaluation ? "改评" : "验收评定"}
          </button>
          {message("accept")}
        </Form>
      ) : d.evaluation ? (
        <div className="card">
          <h2>验收结果</h2>
          <p>
            <span className={d.evaluation.grade === "fail" ? "badge bad" : "badge ok"}>{GRADE_LABELS[d.evaluation.grade]}</span> {d.evaluation.score} 分
            {d.evaluation.comment ? ` · ${d.evaluation.comment}` : ""}
          </p>
          {d.checklist.length ? (
            <ul>
              {d.checklist.map((item) => (
                <li key={item.key}>
                  {item.label}：{(d.evaluation!.checklist as Record<string, number> | null)?.[item.key] ?? "—"} / {item.points} 分
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <p>
        <Link to={`/studios/${d.studio.id}/funds`}>查看经费台账</Link>
      </p>
    </section>
  );
}
