import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { DataTable } from "~/components/DataTable";
import { getDb } from "~/db.server";
import { assignedTo } from "~/modules/experts/experts.server";
import { SHEET_STATUS_LABELS } from "~/modules/experts/labels";

export const meta: MetaFunction = () => [{ title: "专家评审 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "review.score");
  return json({ assigned: await assignedTo(getDb(), user) });
}

export default function ReviewList() {
  const { assigned } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>我的评审</h1>
      <p className="lead">分配给您的评审材料，只在“专家评审”阶段可见。提交后不能修改；与被推荐人有利害关系的，请申请回避。</p>
      <DataTable
        rows={assigned}
        empty="目前没有分配给您的评审材料。"
        columns={[
          { label: "人选", cell: (a) => <Link to={`/review/${a.id}`}>{a.who}</Link> },
          { label: "评审组", cell: (a) => a.panel },
          { label: "状态", cell: (a) => (a.recused ? `已回避（${a.recused}）` : SHEET_STATUS_LABELS[a.status ?? "draft"]) },
        ]}
      />
    </section>
  );
}
