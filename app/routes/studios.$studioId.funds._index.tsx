import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { relationTo } from "~/auth/relation";
import { requirePermission } from "~/auth/session.server";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { FieldError, Options } from "~/components/forms";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { unknownIntent } from "~/lib/intent.server";
import { textFields } from "~/lib/form.server";
import { formatFen } from "~/lib/money";
import { todayInTaizhou, yearInTaizhou } from "~/lib/time";
import { filesOf, readForm } from "~/lib/upload.server";
import { GRANT_SOURCE_LABELS, SPENDING_CATEGORY_LABELS, SPENDING_STATUS_LABELS } from "~/modules/studios/cycle";
import { grantSchema, spendingReviewSchema, spendingSchema, trancheSchema } from "~/modules/studios/cycle-schema.server";
import { addGrant, addSpending, addTranche, cyclePolicyFor, ledgerOf, reviewSpending } from "~/modules/studios/funds.server";
import { studioWorking } from "~/modules/studios/policy";
import { studioForViewer } from "~/modules/studios/studios.server";
import { UploadInput } from "~/components/UploadInput";
import { FileThumb } from "~/components/FileThumb";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `经费台账 · ${data?.studio.name ?? "工作室"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const year = yearInTaizhou();
  const [ledger, policy] = await Promise.all([ledgerOf(db, studio.id), cyclePolicyFor(db, year)]);
  const relation = relationTo(user, studio.org_unit_id, studio.person_id);
  return json({
    studio: { id: studio.id, name: studio.name, status: studio.status },
    ledger,
    year,
    today: todayInTaizhou(),
    thresholdFen: policy.approvalThresholdFen,
    canRecordGrants: (relation === "city" || relation === "county") && ["accredited", "active", "suspended"].includes(studio.status),
    canSpend: relation === "owner" && studioWorking(studio),
    canReview: relation === "county",
    closing: studio.status === "revoked",
  });
}

type Reply = { intent: string; message: string | null; fieldErrors: Record<string, string[]>; saved: boolean };
const reply = (intent: string, status: number, message: string | null, fieldErrors: Record<string, string[]> = {}) =>
  json<Reply>({ intent, message, fieldErrors, saved: status === 200 }, { status });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return reply("spend", 400, form.message, { receipts: [form.message] });
  const fields = textFields(form.formData);
  const intent = typeof fields.intent === "string" ? fields.intent : "";
  const parsed = <T,>(schema: {
    safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  }) => {
    const result = schema.safeParse(fields);
    if (result.success) return { ok: true as const, data: result.data };
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of result.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    return { ok: false as const, fieldErrors };
  };
  const answer = (result: { ok: true } | { ok: false; status: number; message: string; field?: string }) =>
    result.ok ? reply(intent, 200, null) : reply(intent, result.status, result.message, result.field ? { [result.field]: [result.message] } : {});
  // Whose each form is, before anything in it is read.
  const mayAct = { grant: ["city", "county"], tranche: ["city", "county"], spend: ["owner"], review: ["county"] } as Record<string, string[] | undefined>;
  const relation = relationTo(user, studio.org_unit_id, studio.person_id);
  const allowed = Object.hasOwn(mayAct, intent) ? mayAct[intent] : undefined;
  if (allowed && !allowed.includes(relation ?? "")) return reply(intent, 403, "您无权进行此操作");
  switch (intent) {
    case "grant": {
      const input = parsed(grantSchema);
      if (!input.ok) return reply(intent, 400, "请检查填写的内容", input.fieldErrors);
      return answer(await addGrant(db, user, studio, input.data));
    }
    case "tranche": {
      const input = parsed(trancheSchema);
      if (!input.ok) return reply(intent, 400, "请检查填写的内容", input.fieldErrors);
      return answer(await addTranche(db, user, studio, input.data));
    }
    case "spend": {
      const input = parsed(spendingSchema);
      if (!input.ok) return reply(intent, 400, "请检查填写的内容", input.fieldErrors);
      return answer(await addSpending(db, user, studio, input.data, await filesOf(form.formData, "receipts")));
    }
    case "review": {
      const input = parsed(spendingReviewSchema);
      if (!input.ok) return reply(intent, 400, Object.values(input.fieldErrors)[0][0], input.fieldErrors);
      return answer(await reviewSpending(db, user, studio, input.data));
    }
  }
  return unknownIntent();
}

export default function StudioFunds() {
  const { studio, ledger, year, today, thresholdFen, canRecordGrants, canSpend, canReview, closing } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = (intent: string, name: string) => (data?.intent === intent ? data.fieldErrors[name] : undefined);
  const message = (intent: string) =>
    data?.intent === intent && data.message ? (
      <p className={data.saved ? "notice success" : "form-errors"} role={data.saved ? "status" : "alert"}>
        {data.message}
      </p>
    ) : data?.intent === intent && data.saved ? (
      <p className="notice success" role="status">
        已保存。
      </p>
    ) : null;
  return (
    <section>
      <BackLink to={`/studios/${studio.id}`}>{studio.name}</BackLink>
      <h1>经费台账</h1>
      <dl className="facts card" aria-label="经费概况">
        <dt>累计到账</dt>
        <dd className="num">{formatFen(ledger.fund.received)}</dd>
        <dt>已支出（含待审批）</dt>
        <dd className="num">{formatFen(ledger.fund.spent)}</dd>
        <dt>可用余额</dt>
        <dd className="num" data-testid="balance">
          <strong>{formatFen(ledger.fund.balance)}</strong>
        </dd>
        {ledger.pendingFen ? (
          <>
            <dt>待县级审批</dt>
            <dd className="num">{formatFen(ledger.pendingFen)}</dd>
          </>
        ) : null}
      </dl>
      <p className="actions no-print">
        <Link className="button" to={`statement?year=${year}`}>
          打印{year}年度收支表
        </Link>
        <DownloadLink className="button" href={`/studios/${studio.id}/funds/export?year=${year}`}>
          导出{year}年度收支表（Excel）
        </DownloadLink>
        {closing ? (
          <Link className="button primary" to="statement?closing=1">
            经费清算表（应退回资金）
          </Link>
        ) : null}
      </p>

      <div className="card">
        <h2>资助</h2>
        <DataTable
          rows={ledger.grants}
          empty="还没有登记资助。"
          columns={[
            { label: "来源", cell: (g) => `${GRANT_SOURCE_LABELS[g.source]}${g.purpose === "reconfirmation" ? "（重新确认）" : ""}` },
            { label: "文号", cell: (g) => g.document_number },
            { label: "下达日期", cell: (g) => g.decided_on },
            { label: "资助金额", num: true, cell: (g) => formatFen(g.amount_fen) },
            {
              label: "到账",
              cell: (g) =>
                g.tranches.length ? (
                  <ul className="plain">
                    {g.tranches.map((t) => (
                      <li key={t.id}>
                        {t.received_on} {formatFen(t.amount_fen)}（凭证 {t.voucher}）
                      </li>
                    ))}
                  </ul>
                ) : (
                  "未到账"
                ),
            },
          ]}
        />
        {canRecordGrants ? (
          <>
            <Form method="post" className="form-grid">
              <h3>登记资助</h3>
              <input type="hidden" name="intent" value="grant" />
              <label className="field">
                资金来源
                <select name="source" required defaultValue="">
                  <option value="" disabled>
                    请选择
                  </option>
                  <Options choices={GRANT_SOURCE_LABELS} />
                </select>
                <FieldError errors={errors("grant", "source")} />
              </label>
              <label className="field">
                文件文号
                <input name="documentNumber" required maxLength={60} />
                <FieldError errors={errors("grant", "documentNumber")} />
              </label>
              <label className="field">
                资助金额（元）
                <input name="amount" required inputMode="decimal" />
                <FieldError errors={errors("grant", "amount")} />
              </label>
              <label className="field">
                下达日期
                <input name="decidedOn" type="date" required max={today} />
                <FieldError errors={errors("grant", "decidedOn")} />
              </label>
              <button type="submit" className="button">
                登记资助
              </button>
              {message("grant")}
            </Form>
            {ledger.grants.length ? (
              <Form method="post" className="form-grid">
                <h3>登记到账</h3>
                <input type="hidden" name="intent" value="tranche" />
                <label className="field">
                  对应资助
                  <select name="grantId" required>
                    {ledger.grants.map((g) => (
                      <option key={g.id} value={g.id}>
                        {GRANT_SOURCE_LABELS[g.source]} {g.document_number}（尚可到账 {formatFen(g.amount_fen - g.receivedFen)}）
                      </option>
                    ))}
                  </select>
                  <FieldError errors={errors("tranche", "grantId")} />
                </label>
                <label className="field">
                  到账金额（元）
                  <input name="amount" required inputMode="decimal" />
                  <FieldError errors={errors("tranche", "amount")} />
                </label>
                <label className="field">
                  到账日期
                  <input name="receivedOn" type="date" required max={today} />
                  <FieldError errors={errors("tranche", "receivedOn")} />
                </label>
                <label className="field">
                  凭证号
                  <input name="voucher" required maxLength={60} />
                  <FieldError errors={errors("tranche", "voucher")} />
                </label>
                <button type="submit" className="button">
                  登记到账
                </button>
                {message("tranche")}
              </Form>
            ) : null}
          </>
        ) : null}
      </div>

      <div className="card">
        <h2>支出</h2>
        <p className="hint">单笔超过 {formatFen(thresholdFen)} 的支出须经所属县级总工会审批；审批前该金额已从可用余额中预留。</p>
        <DataTable
          rows={ledger.spending}
          empty="还没有支出。"
          columns={[
            { label: "日期", cell: (s) => s.spent_on },
            { label: "类别", cell: (s) => SPENDING_CATEGORY_LABELS[s.category] },
            { label: "事由", cell: (s) => s.description },
            { label: "金额", num: true, cell: (s) => formatFen(s.amount_fen) },
            {
              label: "票据",
              cell: (s) => s.receipts.map((r) => <FileThumb key={r.id} href={`/studio-files/${r.id}`} name={r.filename} type={r.content_type} />),
            },
            {
              label: "状态",
              cell: (s) => (
                <>
                  {SPENDING_STATUS_LABELS[s.status]}
                  {s.review_comment ? `：${s.review_comment}` : ""}
                  {canReview && s.status === "pending" ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="review" />
                      <input type="hidden" name="spendingId" value={s.id} />
                      <label>
                        审批意见
                        <input name="comment" maxLength={500} />
                      </label>
                      <button type="submit" name="decision" value="approved" className="button primary">
                        批准
                      </button>
                      <button type="submit" name="decision" value="rejected" className="button">
                        不予批准
                      </button>
                    </Form>
                  ) : null}
                </>
              ),
            },
          ]}
        />
        {message("review")}
        {canSpend ? (
          <Form method="post" encType="multipart/form-data" className="form-grid">
            <h3>登记支出</h3>
            <input type="hidden" name="intent" value="spend" />
            <label className="field">
              支出类别
              <select name="category" required defaultValue="">
                <option value="" disabled>
                  请选择
                </option>
                <Options choices={SPENDING_CATEGORY_LABELS} />
              </select>
              <FieldError errors={errors("spend", "category")} />
            </label>
            <label className="field">
              支出事由
              <input name="description" required maxLength={200} />
              <FieldError errors={errors("spend", "description")} />
            </label>
            <label className="field">
              支出金额（元）
              <input name="amount" required inputMode="decimal" />
              <FieldError errors={errors("spend", "amount")} />
            </label>
            <label className="field">
              支出日期
              <input name="spentOn" type="date" required max={today} />
              <FieldError errors={errors("spend", "spentOn")} />
            </label>
            <label className="field">
              票据（发票或收据的照片、PDF，最多5个）
              <UploadInput name="receipts" multiple required accept="image/jpeg,image/png,application/pdf" />
              <FieldError errors={errors("spend", "receipts")} />
            </label>
            <button type="submit" className="button primary">
              登记支出
            </button>
            {message("spend")}
          </Form>
        ) : null}
      </div>
    </section>
  );
}
