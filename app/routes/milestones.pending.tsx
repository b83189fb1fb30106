import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyDone, replyInvalid, replyUnknownIntent } from "~/lib/reply.server";
import { useReply } from "~/components/useReply";
import { pendingMilestones, verifyMilestones } from "~/modules/studios/milestones.server";
import { milestoneBatchSchema } from "~/modules/studios/schema.server";
import { DataTable } from "~/components/DataTable";
import { MILESTONE_KIND_LABELS } from "~/modules/studios/labels";

export const meta: MetaFunction = () => [{ title: "待核实成果 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "milestone.verify");
  return json({ pending: await pendingMilestones(getDb(), user) });
}

/** 批量核实: the chosen milestones verified together, each one that cannot be said why. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "milestone.verify");
  const formData = await request.formData();
  if (formData.get("intent") !== "verify-batch") return replyUnknownIntent();
  const submission = parseWithZod(formData, { schema: milestoneBatchSchema });
  if (submission.status !== "success") return replyInvalid("verify-batch", submission, { message: firstError(submission) });
  return replyDone("verify-batch", { data: await verifyMilestones(getDb(), user, submission.value.milestoneId) });
}

type BatchResult = Awaited<ReturnType<typeof verifyMilestones>>;

export default function PendingMilestones() {
  const { pending } = useLoaderData<typeof loader>();
  const reply = useReply<BatchResult>("verify-batch");
  const result = reply?.data;
  return (
    <section>
      <h1>待核实的学徒成果（{pending.length}）</h1>
      <p className="lead">对照证书或证明材料逐项核实；只有核实认定的成果才计入工作室考核和统计。不予认定须在学徒页面上逐项说明理由。</p>
      {reply && !reply.ok ? (
        <p className="notice error" role="alert">
          {reply.message}
        </p>
      ) : null}
      {result ? (
        <div className="notice success" role="status">
          <p>已核实认定 {result.verified} 项，已通知各工作室领办人。</p>
          {result.refused.length ? (
            <ul>
              {result.refused.map((r) => (
                <li key={r.id}>
                  {r.name}：{r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="verify-batch" />
        <DataTable
          rows={pending}
          empty="没有待核实的成果。"
          columns={[
            {
              label: "选择",
              cell: (p) => (
                <input
                  type="checkbox"
                  name="milestoneId"
                  value={p.id}
                  aria-label={`选择${p.apprentice_name}${p.occurred_on}的${MILESTONE_KIND_LABELS[p.kind]}（${p.studio_name}）`}
                />
              ),
            },
            { label: "提交时间", cell: (p) => formatDateTime(p.created_at) },
            { label: "工作室", cell: (p) => p.studio_name },
            { label: "学徒", cell: (p) => <Link to={`/mentorships/${p.mentorship_id}`}>{p.apprentice_name}</Link> },
            { label: "成果", cell: (p) => MILESTONE_KIND_LABELS[p.kind] },
            { label: "日期", cell: (p) => p.occurred_on },
          ]}
        />
        {pending.length ? (
          <button type="submit" className="button primary">
            核实认定所选成果
          </button>
        ) : null}
      </Form>
    </section>
  );
}
