import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { DataTable } from "~/components/DataTable";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { queryParam } from "~/lib/validation.server";
import { smsLog } from "~/modules/notifications/inbox.server";

export const meta: MetaFunction = () => [{ title: "短信记录 · 匠心" }];

const STATUS_LABELS = { queued: "待发送", held: "暂缓", sending: "发送中", sent: "已发送", failed: "发送失败" } as const;
const DRIVER_LABELS: Record<string, string> = { outbox: "发件箱（未接短信平台）", aliyun: "阿里云短信" };

/** The city's log of every text message: masked numbers, what was said, how it went. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "sms.log");
  const page = queryParam.page().parse(new URL(request.url).searchParams.get("page") ?? undefined);
  return json({ log: await smsLog(getDb(), page) });
}

export default function SmsLog() {
  const { log } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>短信记录</h1>
      <DataTable
        rows={log.rows}
        empty="还没有短信。"
        columns={[
          { label: "时间", cell: (s) => formatDateTime(s.sent_at ?? s.created_at) },
          { label: "手机", className: "mono", cell: (s) => s.phone_masked },
          { label: "内容", cell: (s) => s.text },
          { label: "状态", cell: (s) => `${STATUS_LABELS[s.status]}${s.error ? `：${s.error}` : ""}` },
          { label: "通道", cell: (s) => (s.driver ? (DRIVER_LABELS[s.driver] ?? s.driver) : "—") },
        ]}
      />
      <Pagination page={log.page} pageSize={log.pageSize} total={log.total} />
    </section>
  );
}
