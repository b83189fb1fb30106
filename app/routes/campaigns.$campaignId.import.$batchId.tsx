import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound, searchParams } from "~/lib/http.server";
import { parseWithZod } from "~/lib/form.server";
import { replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { todayInTaizhou } from "~/lib/time";
import { findImportBatch, previewOf, requestCommit, type CommitFailure } from "~/modules/nominations/summary-table.server";
import { commitImportSchema, importPreviewQuerySchema } from "~/modules/nominations/schema.server";
import { useReply } from "~/components/useReply";
import { Pagination } from "~/components/Pagination";
import { WorkProgress } from "~/components/WorkProgress";
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
  const { campaign, batch } = await load(request, params);
  const query = importPreviewQuerySchema.parse(searchParams(request));
  return json({ campaign, ...previewOf(batch, query) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, campaign, batch } = await load(request, params);
  const formData = await request.formData();
  if (formData.get("intent") !== "commit") return replyUnknownIntent();
  const submission = parseWithZod(formData, { schema: commitImportSchema });
  if (submission.status !== "success") return replyInvalid("commit", submission);
  const result = await requestCommit(getDb(), user, campaign, batch.id, todayInTaizhou(), submission.value.take);
  if (!result.ok) return replyRefused("commit", result);
  throw redirect(`/campaigns/${campaign.id}/import/${batch.id}`);
}

export default function ImportPreview() {
  const { campaign, batch, counts, quota, rows, fromFiles, skipped, missingColumns, otherSheets } = useLoaderData<typeof loader>();
  const pressed = useReply("commit");
  const navigation = useNavigation();
  const location = useLocation();
  const { valid, invalid, incomplete } = counts;
  const summary = batch.summary;
  // A refusal now (the press itself) or from the job that tried to write the batch.
  const failure: { message: string } | { rowErrors: Array<{ line: number; errors: string[] }> } | null =
    pressed && !pressed.ok ? { message: pressed.message ?? "" } : (batch.failure as CommitFailure | null);
  const problemsOnly = new URLSearchParams(location.search).get("show") === "problems";
  return (
    <section>
      <BackLink to={`/campaigns/${campaign.id}`}>{campaignLabel(campaign.number)}</BackLink>
      <h1>导入预览：{batch.filename}</h1>
      {batch.progress ? (
        <WorkProgress label={batch.status === "checking" ? "正在逐行核对" : "正在导入"} done={batch.progress.done} total={batch.progress.total} />
      ) : null}
      {summary ? (
        <p className="notice success" role="status">
          导入完成：新增 {summary.created} 人，更新 {summary.updated} 人，无变化 {summary.unchanged} 人{invalid ? `；${invalid} 行有错误，未导入` : ""}。
          <Link to={`/campaigns/${campaign.id}/nominations`}>查看推荐人选</Link>
        </p>
      ) : (
        <p className="lead">
          {batch.status === "failed" ? "这批数据没有导入。" : null}共 {counts.all} 行：{valid} 行可以导入，{invalid} 行有错误
          {invalid ? "（有错误的行不会导入，请在表格中改正后重新上传）" : ""}
          {incomplete ? `；其中 ${incomplete} 人导入后为“待补全”` : ""}。
        </p>
      )}
      {quota ? (
        <p className={quota.after > quota.quota ? "notice" : "hint"} role="note">
          名额：{quota.unit}本届原则上推荐 {quota.quota} 人，已推荐 {quota.before} 人，导入后共 {quota.after} 人
          {quota.after > quota.quota ? `，超出 ${quota.after - quota.quota} 人（超出的人选会带上提示，由市总工会在资格初审时确认）` : ""}。
        </p>
      ) : null}
      {counts.conflicts && batch.status === "previewed" ? (
        <p className="notice" role="note">
          有 {counts.conflicts} 人的部分内容与已有记录不同：默认保留已有记录；要改用表中的值，请在下面逐项勾选“改用表中的值”后再确认导入。
        </p>
      ) : null}
      {missingColumns.length ? (
        <p className="notice" role="note">
          表中没有以下列：{missingColumns.join("、")}。这些内容导入后须在推荐审批表中补全（或上传 Word 版审批表），补全前不能进入资格初审。
        </p>
      ) : null}
      {failure ? (
        <div className="form-errors" role="alert">
          {"message" in failure ? <p>{failure.message}</p> : null}
          {"rowErrors" in failure
            ? failure.rowErrors.map((r) => (
                <p key={r.line}>
                  第 {r.line} 行：{r.errors.join("；")}（本次未写入任何数据）
                </p>
              ))
            : null}
        </div>
      ) : null}
      {invalid ? (
        <p className="actions">
          {problemsOnly ? <Link to={location.pathname}>显示全部 {counts.all} 行</Link> : <Link to="?show=problems">只看有错误的 {invalid} 行</Link>}
        </p>
      ) : null}
      <DataTable
        rows={rows.rows}
        rowKey={(r) => r.line}
        columns={[
          { label: fromFiles ? "文件" : "行号", cell: (r) => r.source ?? r.line },
          { label: "姓名", cell: (r) => r.name },
          { label: "身份证号码", className: "mono", cell: (r) => r.maskedId },
          {
            label: "检查结果",
            cell: (r) =>
              r.valid ? (
                <>
                  <span className="badge ok">{batch.status === "committed" ? "已导入" : (r.note ?? (batch.status === "failed" ? "未核对" : "核对中"))}</span>
                  {r.storyFrom ? <p className="hint">事迹材料：{r.storyFrom}</p> : null}
                  {r.changes.length ? (
                    <ul className="changes">
                      {r.changes.map((c) => (
                        <li key={c.field}>
                          {c.label}：{c.was} → {c.will}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {r.conflicts.length ? (
                    <ul className="warnings">
                      {r.conflicts.map((c) => (
                        <li key={c.field}>
                          {c.label}：已有“{c.was}”，表中为“{c.will}”，保留已有记录
                          {batch.status === "previewed" ? (
                            <label className="inline-check">
                              <input type="checkbox" name="take" value={`${r.line}:${c.field}`} form="commit-import" /> 改用表中的值
                            </label>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  ) : null}
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
      <Pagination page={rows.page} total={rows.total} pageSize={rows.pageSize} />
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
      {batch.status === "previewed" && valid > 0 ? (
        <Form method="post" className="actions" id="commit-import">
          <input type="hidden" name="intent" value="commit" />
          <button type="submit" className="button primary" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "正在提交…" : `确认导入 ${valid} 条有效记录`}
          </button>
          <Link className="button" to={`/campaigns/${campaign.id}/import`}>
            重新上传
          </Link>
        </Form>
      ) : null}
    </section>
  );
}
