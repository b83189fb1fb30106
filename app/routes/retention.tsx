import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit, FieldError } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { queryParam } from "~/lib/validation.server";
import { periodText, RETENTION_KIND_LABELS } from "~/modules/retention/labels";
import { purgeRuns, retentionSchedule, setRetention } from "~/modules/retention/retention.server";
import { retentionRuleSchema } from "~/modules/retention/schema.server";

export const meta: MetaFunction = () => [{ title: "保存期限 · 匠心" }];

/** The city's retention schedule and what the daily purge did; counties have no page (the runs span every county). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "retention.manage");
  const page = queryParam.page().parse(new URL(request.url).searchParams.get("page") ?? undefined);
  const db = getDb();
  const [rules, runs] = await Promise.all([retentionSchedule(db), purgeRuns(db, page)]);
  return json({ rules, runs });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "retention.manage");
  const formData = await request.formData();
  if (formData.get("intent") !== "rule") return replyUnknownIntent();
  return replyStep("rule", formData, retentionRuleSchema, (input) => setRetention(getDb(), user, input), {
    message: "保存期限已修改。",
    invalid: "请检查填写的内容",
  });
}

export default function Retention() {
  const { rules, runs } = useLoaderData<typeof loader>();
  const reply = useReply("rule");
  const editable = rules.filter((r) => r.min_days < r.max_days);
  return (
    <section>
      <h1>个人信息保存期限</h1>
      <p className="lead">
        每类个人信息保存到期后，由系统每日凌晨自动删除（身份信息就地抹去，记录本身及处理结论保留），每批清除的记录编号和条数记录在下方；期限可在规定范围内调整，调整记入操作日志。
      </p>
      <DataTable
        rows={rules}
        rowKey={(r) => r.kind}
        columns={[
          { label: "数据类别", cell: (r) => RETENTION_KIND_LABELS[r.kind] },
          { label: "保存期限", cell: (r) => periodText(r.keep_days) },
          { label: "起算", cell: (r) => r.after_event },
          { label: "可调范围", cell: (r) => (r.min_days === r.max_days ? "固定" : `${r.min_days}–${r.max_days}天`) },
          { label: "依据", cell: (r) => r.basis },
        ]}
      />
      <h2>调整保存期限</h2>
      <ReplyNotice reply={reply} done="保存期限已修改。" />
      <Form method="post" className="card form-grid">
        <input type="hidden" name="intent" value="rule" />
        <label className="field">
          数据类别
          <select name="kind" required>
            {editable.map((r) => (
              <option key={r.kind} value={r.kind}>
                {RETENTION_KIND_LABELS[r.kind]}（{r.min_days}–{r.max_days}天）
              </option>
            ))}
          </select>
          <FieldError errors={replyErrors(reply, "kind")} />
        </label>
        <label className="field">
          保存期限（天）
          <input name="keepDays" inputMode="numeric" required />
          <FieldError errors={replyErrors(reply, "keepDays")} />
        </label>
        <ConfirmSubmit label="修改保存期限" confirm="缩短期限后，下次清除会删除更多数据，删除后无法恢复。" />
      </Form>
      <h2>清除记录</h2>
      <DataTable
        rows={runs.rows}
        empty="还没有清除过数据。"
        columns={[
          { label: "时间", cell: (r) => formatDateTime(r.started_at) },
          { label: "数据类别", cell: (r) => RETENTION_KIND_LABELS[r.rule_kind] },
          { label: "期限", cell: (r) => periodText(r.keep_days) },
          { label: "条数", num: true, cell: (r) => r.purged },
          {
            label: "记录",
            className: "mono",
            cell: (r) => `${r.first_ids.join("、")}${r.purged > r.first_ids.length ? "…" : ""}`,
          },
          { label: "状态", cell: (r) => (r.finished_at ? "已完成" : "进行中") },
        ]}
      />
      <Pagination page={runs.page} pageSize={runs.pageSize} total={runs.total} />
    </section>
  );
}
