import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { unknownIntent } from "~/lib/intent.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { lookupHash } from "~/modules/people/pii.server";
import { todayInTaizhou } from "~/lib/time";
import { commitImport, findImportBatch, previewStatus } from "~/modules/nominations/summary-table.server";

export const meta: MetaFunction = () => [{ title: "导入预览 · 匠心" }];

async function load(request: Request, params: { campaignId?: string; batchId?: string }) {
  const user = await requirePermission(request, "nomination.create");
  const db = getDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  const batch = await findImportBatch(db, user, campaign.id, idParam(params.batchId));
  if (!batch) throw notFound("导入记录不存在");
  return { user, campaign, batch };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign, batch } = await load(request, params);
  const status = batch.status === "previewed" ? await previewStatus(getDb(), campaign.id, batch.rows) : new Map<string, string>();
  // Only what the preview table shows leaves the server: never the full numbers in the rows.
  const rows = batch.rows.map((r) => ({
    line: r.line,
    name: r.name,
    maskedId: r.maskedId,
    errors: r.errors,
    valid: !!r.form,
    note: r.form ? (status.get(lookupHash(String(r.form.idNumber).toUpperCase())) ?? "将新增推荐") : null,
  }));
  return json({
    campaign,
    batch: { id: batch.id, filename: batch.filename, status: batch.status, summary: batch.summary as Record<string, number> | null },
    rows,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, campaign, batch } = await load(request, params);
  const formData = await request.formData();
  if (formData.get("intent") !== "commit") return unknownIntent();
  const result = await commitImport(getDb(), user, campaign, batch.id, todayInTaizhou());
  if (result.ok) return json({ result });
  return json({ result }, { status: result.status });
}

export default function ImportPreview() {
  const { campaign, batch, rows } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const valid = rows.filter((r) => r.valid).length;
  const invalid = rows.length - valid;
  const result = data?.result;
  const summary = result?.ok ? result : batch.summary;
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}`}>← {campaignLabel(campaign.number)}</Link>
      </p>
      <h1>导入预览：{batch.filename}</h1>
      {summary ? (
        <p className="notice success" role="status">
          导入完成：新增 {summary.created} 人，更新 {summary.updated} 人，无变化 {summary.unchanged} 人{invalid ? `；${invalid} 行有错误，未导入` : ""}。
          <Link to={`/campaigns/${campaign.id}/nominations`}>查看推荐人选</Link>
        </p>
      ) : (
        <p className="lead">
          共 {rows.length} 行：{valid} 行可以导入，{invalid} 行有错误
          {invalid ? "（有错误的行不会导入，请在表格中改正后重新上传）" : ""}。
        </p>
      )}
      {result && !result.ok ? (
        <div className="form-errors" role="alert">
          {"message" in result ? <p>{result.message}</p> : null}
          {"rowErrors" in result
            ? result.rowErrors.map((r: { line: number; errors: string[] }) => (
                <p key={r.line}>
                  第 {r.line} 行：{r.errors.join("；")}（本次未写入任何数据）
                </p>
              ))
            : null}
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="table responsive">
          <thead>
            <tr>
              <th>行号</th>
              <th>姓名</th>
              <th>身份证号码</th>
              <th>检查结果</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.line} className={r.valid ? "" : "row-error"}>
                <td data-label="行号">{r.line}</td>
                <td data-label="姓名">{r.name}</td>
                <td data-label="身份证号码" className="mono">
                  {r.maskedId}
                </td>
                <td data-label="检查结果">
                  {r.valid ? (
                    <span className="badge ok">{batch.status === "committed" ? "已导入" : r.note}</span>
                  ) : (
                    <ul className="problems">
                      {r.errors.map((e) => (
                        <li key={e}>{e}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {batch.status === "previewed" && !summary && valid > 0 ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="commit" />
          <button type="submit" className="button primary" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "正在导入…" : `确认导入 ${valid} 条有效记录`}
          </button>
          <Link className="button" to={`/campaigns/${campaign.id}/import`}>
            重新上传
          </Link>
        </Form>
      ) : null}
    </section>
  );
}
