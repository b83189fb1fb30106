import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { useState } from "react";
import { ConfirmSubmit, FieldError, FormErrors } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { parseWithZod, submissionErrors } from "~/lib/form.server";
import { replyDone, replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { declareRecusal, saveSheet, sheetFor } from "~/modules/experts/experts.server";
import { SHEET_STATUS_LABELS } from "~/modules/experts/labels";
import { marksSchema, reasonSchema, pressSchema } from "~/modules/experts/schema.server";

export const meta: MetaFunction = () => [{ title: "评审 · 匠心" }];

async function load(request: Request, nominationId: string | undefined) {
  const user = await requirePermission(request, "review.score");
  const sheet = await sheetFor(getDb(), user, idParam(nominationId));
  // Not theirs, or the stage is over: as if it did not exist.
  if (!sheet) throw notFound("没有这份评审材料");
  return { user, sheet };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sheet } = await load(request, params.nominationId);
  return json({ sheet });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sheet } = await load(request, params.nominationId);
  const form = await request.formData();
  const intent = form.get("intent");
  const db = getDb();
  if (intent === "recuse") {
    const submission = parseWithZod(form, { schema: reasonSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: submission.error?.reason?.[0] });
    const result = await declareRecusal(db, user, sheet.id, submission.value.reason);
    if (result.ok) throw redirect("/review");
    return replyRefused(intent, result, submission);
  }
  if (intent !== "save" && intent !== "submit") return replyUnknownIntent();
  const submission = parseWithZod(form, { schema: pressSchema });
  if (submission.status !== "success") return replyInvalid(intent, submission);
  const submit = intent === "submit";
  if (submit && !submission.value.confirmed) return replyRefused(intent, refuse("请确认提交"), submission);
  // Every mark that is wrong at once, each under its own field and named in the summary.
  const marks = parseWithZod(form, { schema: marksSchema(sheet.rubric, submit) });
  if (marks.status !== "success") {
    const wrong = submissionErrors(marks);
    return replyInvalid(intent, marks, { message: marks.error?.[""]?.[0] ?? `${wrong.length} 项评分需要修改：${wrong.join("；")}` });
  }
  const result = await saveSheet(db, user, sheet.id, marks.value, submit);
  if (!result.ok) {
    // The module's own check names a criterion: its message stands beside that criterion's field.
    const fieldErrors = result.field ? { [`points-${result.field}`]: [result.message] } : {};
    return replyRefused(intent, refuse(result.message, { status: result.status, fieldErrors }), marks);
  }
  if (submit) throw redirect("/review");
  return replyDone(intent, { message: `草稿已保存（合计 ${result.total} 分）`, submission });
}

/** A mark the sheet would take (a number within the criterion, in half points); anything else counts nothing towards the total yet. */
function pointsOf(text: string, max: number): number {
  const points = /^\d{1,3}(\.\d)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
  return points <= max && Math.round(points * 2) === points * 2 ? points : 0;
}

export default function ReviewSheet() {
  const { sheet } = useLoaderData<typeof loader>();
  const [saved, submitted, recusal] = [useReply("save"), useReply("submit"), useReply("recuse")];
  const reply = saved ?? submitted;
  const locked = sheet.status === "submitted" || !!sheet.recused;
  const errorsOf = (key: string) => reply?.form?.error?.[`points-${key}`] ?? undefined;
  // The running total as the expert types (before the scripts run, the saved marks' total).
  const [typed, setTyped] = useState<Record<string, string>>(() =>
    Object.fromEntries(sheet.rubric.map((c) => [c.key, String(sheet.marks[c.key]?.points ?? "")])),
  );
  const total = sheet.rubric.reduce((sum, c) => sum + pointsOf(typed[c.key] ?? "", c.max_points), 0);
  const marked = sheet.rubric.filter((c) => (typed[c.key] ?? "").trim() !== "").length;
  const maxTotal = sheet.rubric.reduce((sum, c) => sum + c.max_points, 0);
  return (
    <section>
      <p>
        <Link to="/review">← 我的评审</Link>
      </p>
      <h1>
        {sheet.name}
        <small className="role-tag">{SHEET_STATUS_LABELS[sheet.status]}</small>
      </h1>
      {sheet.blind ? <p className="notice">本组为盲评：姓名、工作单位和县区已隐去；材料正文为本人所写，照原样呈现。</p> : null}
      {sheet.reopenedReason ? <p className="notice">市总工会退回重评：{sheet.reopenedReason}</p> : null}
      <div className="card">
        <dl className="facts">
          {sheet.employer ? (
            <>
              <dt>工作单位</dt>
              <dd>{sheet.employer}</dd>
              <dt>推荐单位</dt>
              <dd>{sheet.unit}</dd>
            </>
          ) : null}
          <dt>所属行业</dt>
          <dd>{sheet.industry}</dd>
          <dt>技术等级</dt>
          <dd>{sheet.skillLevel}</dd>
          <dt>一线工作年限</dt>
          <dd>{sheet.frontlineYears ?? "—"}</dd>
        </dl>
        <h2>主要荣誉</h2>
        <p className="pre">{sheet.honors || "—"}</p>
        <h2>主要成果</h2>
        <p className="pre">{sheet.achievements || "—"}</p>
        <h2>主要事迹</h2>
        <p className="pre">{sheet.deedsSummary || "—"}</p>
        {sheet.story ? (
          <details>
            <summary>事迹材料全文</summary>
            <p className="pre">{sheet.story}</p>
          </details>
        ) : null}
      </div>
      <Form method="post" className="card">
        <h2>评分</h2>
        {/* A refusal in the error box, a saved draft as done: the one reply notice. */}
        <ReplyNotice reply={reply} />
        {sheet.rubric.map((c) => (
          <fieldset key={c.key} className="field">
            <legend>
              {c.label}（满分 {c.max_points}）
            </legend>
            <p className="hint">{c.guidance}</p>
            <label>
              得分
              <input
                name={`points-${c.key}`}
                inputMode="decimal"
                defaultValue={sheet.marks[c.key]?.points ?? ""}
                disabled={locked}
                aria-label={`${c.label}得分`}
                aria-invalid={errorsOf(c.key) ? true : undefined}
                aria-describedby={errorsOf(c.key) ? `error-${c.key}` : undefined}
                onChange={(e) => setTyped((t) => ({ ...t, [c.key]: e.target.value }))}
              />
            </label>
            <FieldError id={`error-${c.key}`} errors={errorsOf(c.key)} />
            <label>
              评语
              <textarea name={`comment-${c.key}`} rows={2} maxLength={500} defaultValue={sheet.marks[c.key]?.comment ?? ""} disabled={locked} />
            </label>
          </fieldset>
        ))}
        <p className="running-total" role="status">
          合计 <strong>{Math.round(total * 10) / 10}</strong> 分（满分 {maxTotal}），已评 {marked}/{sheet.rubric.length} 项
        </p>
        {locked ? null : (
          <div className="form-actions">
            <button type="submit" name="intent" value="save" className="button">
              保存草稿
            </button>
            {/* After the draft button in the form's order: the draft button's own intent wins when it is pressed. */}
            <input type="hidden" name="intent" value="submit" />
            <ConfirmSubmit label="提交评分" confirm="提交后不能再修改（市总工会可退回重评）。" />
          </div>
        )}
      </Form>
      {locked ? null : (
        <Form method="post" className="card">
          <h2>申请回避</h2>
          <FormErrors errors={recusal?.message ? [recusal.message] : undefined} />
          <input type="hidden" name="intent" value="recuse" />
          <label className="field">
            理由（如近三年与被推荐人有师徒、合作或亲属关系）
            <input name="reason" required minLength={4} maxLength={200} />
          </label>
          <button type="submit" className="button">
            回避
          </button>
        </Form>
      )}
    </section>
  );
}
