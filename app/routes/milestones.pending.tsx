import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { MILESTONE_KIND_LABELS } from "~/modules/studios/schema";
import { pendingMilestones } from "~/modules/studios/milestones.server";

export const meta: MetaFunction = () => [{ title: "待核实成果 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "milestone.verify");
  return json({ pending: await pendingMilestones(getDb(), user) });
}

export default function PendingMilestones() {
  const { pending } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>待核实的学徒成果（{pending.length}）</h1>
      <p className="lead">对照证书或证明材料逐项核实；只有核实认定的成果才计入工作室考核和统计。</p>
      {pending.length === 0 ? (
        <p className="empty">没有待核实的成果。</p>
      ) : (
        <table className="table responsive">
          <thead>
            <tr>
              <th>提交时间</th>
              <th>工作室</th>
              <th>学徒</th>
              <th>成果</th>
              <th>日期</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((p) => (
              <tr key={p.id}>
                <td data-label="提交时间">{formatDateTime(p.created_at)}</td>
                <td data-label="工作室">{p.studio_name}</td>
                <td data-label="学徒">
                  <Link to={`/mentorships/${p.mentorship_id}`}>{p.apprentice_name}</Link>
                </td>
                <td data-label="成果">{MILESTONE_KIND_LABELS[p.kind]}</td>
                <td data-label="日期">{p.occurred_on}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
