import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { pendingMilestones } from "~/modules/studios/milestones.server";
import { DataTable } from "~/components/DataTable";
import { MILESTONE_KIND_LABELS } from "~/modules/studios/labels";

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
      <DataTable
        rows={pending}
        empty="没有待核实的成果。"
        columns={[
          { label: "提交时间", cell: (p) => formatDateTime(p.created_at) },
          { label: "工作室", cell: (p) => p.studio_name },
          { label: "学徒", cell: (p) => <Link to={`/mentorships/${p.mentorship_id}`}>{p.apprentice_name}</Link> },
          { label: "成果", cell: (p) => MILESTONE_KIND_LABELS[p.kind] },
          { label: "日期", cell: (p) => p.occurred_on },
        ]}
      />
    </section>
  );
}
