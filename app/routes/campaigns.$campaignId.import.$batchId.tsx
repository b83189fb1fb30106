import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { unknownIntent } from "~/lib/intent.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { todayInTaizhou } from "~/lib/time";
import { commitImport, findImportBatch, previewStatus } from "~/modules/nominations/summary-table.server";
import { DataTable } from "~/components/DataTable";
import { BackLink } from "~/components/BackLink";

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
  const { user, campaign, batch } = await load(request, params);
  const { table } = batch;
  const notes = batch.status === "previewed" ? await previewStatus(getDb(), user, campaign, batch, todayInTaizhou()) : new Map<number, string>();
  // Only what the preview table shows leaves the server: never the full numbers in the rows.
  const rows = table.rows.map((r) => ({
    line: r.line,
    source: r.source ?? null,
    storyFrom: r.storyFrom ?? null,
    name: r.name,
    maskedId: r.maskedId,
    errors: r.errors,
    warnings: r.warnings ?? [],
    missing: r.missing ?? [],
    valid: !!r.form,
    note: r.form ? (notes.get(r.line) ?? "将新增推荐") : null,
  }));
  return json({
    campaign,
    batch: { id: batch.id, filename: batch.filename, status: batch.status, summary: batch.summary as Record<string, number> | null },
    rows,
    skipped: table.skipped,
    missingColumns: table.missingColumns,
    otherSheets: table.otherSheets,
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
  const { campaign, batch, rows, skipped, missingColumns, otherSheets } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const valid = rows.filter((r) => r.valid).length;
  const invalid = rows.length - valid;
  const incomplete = rows.filter((r) => r.valid && r.missing.length).length;
  const result = data?.result;
  const summary = result?.ok ? result : batch.summary;
  return (
    <section>
      <BackLink to={`/campaigns/${campaign.id}`}>{campaignLabel(campaign.number)}</BackLink>
      <h1>导入预览：{batch.filename}</h1>
      {summary ? (
        <p className="notice success" role="status">
          导入完成：新增 {summary.created} 人，更新 {summary.updated} 人，无变化 {summary.unchanged} 人{invalid ? `；${invalid} 行有错误，未导入` : ""}。
          <Link to={`/campaigns/${campaign.id}/nominations`}>查看推荐人选</Link>
        </p>
      ) : (
        <p className="lead">
          共 {rows.length} 行：{valid} 行可以导入，{invalid} 行有错误
          {invalid ? "（有错误的行不会导入，请在表格中改正后重新上传）" : ""}
          {incomplete ? `；其中 ${incomplete} 人导入后为“待补全”` : ""}。
        </p>
      )}
      {missingColumns.length ? (
        <p className="notice" role="note">
          表中没有以下列：{missingColumns.join("、")}。这些内容导入后须在推荐审批表中补全（或上传 Word 版审批表），补全前不能进入资格初审。
        </p>
      ) : null}
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
      <DataTable
        rows={rows}
        rowKey={(r) => r.line}
        columns={[
          { label: rows.some((r) => r.source) ? "文件" : "行号", cell: (r) => r.source ?? r.line },
          { label: "姓名", cell: (r) => r.name },
          { label: "身份证号码", className: "mono", cell: (r) => r.maskedId },
          {
            label: "检查结果",
            cell: (r) =>
              r.valid ? (
                <>
                  <span className="badge ok">{batch.status === "committed" ? "已导入" : r.note}</span>
                  {r.storyFrom ? <p className="hint">事迹材料：{r.storyFrom}</p> : null}
                  {r.missing.length ? <p className="warnings">待补全：缺少{r.missing.join("、")}</p> : null}
                  {r.warnings.length ? (
                    <ul className="warnings">
                      {r.warnings.map((w) => (
                        <li key={w}>{w}</li>
                      ))}
                    </ul>
                  ) : null}
                </>
              ) : (
                <ul className="problems">
                  {r.errors.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
      {skipped.length || otherSheets.length ? (
        <details className="card">
          <summary>未作为人员读取的内容（{skipped.length + otherSheets.length} 处）</summary>
          <ul>
            {skipped.map((k) => (
              <li key={k.lines}>
                第 {k.lines} 行：{k.reason}
              </li>
            ))}
            {otherSheets.map((name) => (
              <li key={name}>工作表“{name}”：只读取第一个有内容的工作表，其余工作表未读取</li>
            ))}
          </ul>
        </details>
      ) : null}
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
