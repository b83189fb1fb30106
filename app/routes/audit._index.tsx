import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { searchParams } from "~/lib/http.server";
import { describedAudit, distinctAuditValues, listAudit } from "~/modules/audit/audit.server";
import { actionLabel, entityLabel } from "~/modules/audit/labels";
import { ChoiceFilter, FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { auditFilterSchema } from "~/modules/audit/schema.server";

export const meta: MetaFunction = () => [{ title: "操作日志 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const filter = auditFilterSchema.parse(searchParams(request));
  const db = getDb();
  const [result, options] = await Promise.all([listAudit(db, filter), distinctAuditValues(db)]);
  return json({ ...result, rows: await describedAudit(db, result.rows), filter, options });
}

export default function AuditLog() {
  const { rows, total, page, pageSize, filter, options } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <section>
      <div className="page-head">
        <h1>操作日志</h1>
        <DownloadLink className="button" href={`/audit/export${location.search}`}>
          导出
        </DownloadLink>
      </div>
      <FilterBar>
        <ChoiceFilter label="对象" name="entityType" value={filter.entityType} choices={options.entityTypes.map((t) => [t, entityLabel(t)] as const)} />
        <InputFilter label="编号" name="entityId" value={filter.entityId} inputMode="numeric" />
        <ChoiceFilter label="操作" name="action" value={filter.action} choices={options.actions.map((a) => [a, actionLabel(a)] as const)} />
        <InputFilter label="操作人" name="actor" value={filter.actor} />
        <InputFilter label="起" name="from" value={filter.from} type="date" />
        <InputFilter label="止" name="to" value={filter.to} type="date" />
      </FilterBar>
      <DataTable
        rows={rows}
        empty="没有符合条件的记录。"
        columns={[
          { label: "时间", cell: (r) => formatDateTime(r.at) },
          { label: "操作人", cell: (r) => r.actor },
          { label: "对象", cell: (r) => (r.link ? <Link to={r.link}>{r.what}</Link> : r.what) },
          { label: "操作", cell: (r) => r.action },
          {
            label: "变更",
            cell: (r) => (
              <>
                {r.before ? <div>原：{r.before}</div> : null}
                {r.after ? <div>新：{r.after}</div> : null}
                {r.comment ? <div>说明：{r.comment}</div> : null}
              </>
            ),
            className: "small",
          },
        ]}
      />
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
