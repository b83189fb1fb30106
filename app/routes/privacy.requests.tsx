import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { DataTable } from "~/components/DataTable";
import { SubmitButton } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { RightsRequestFields } from "~/components/RightsRequestFields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { RIGHTS_KIND_LABELS, RIGHTS_STATUS_LABELS } from "~/modules/privacy/labels";
import { fileOwnRequest, ownRequests, privacyPolicy } from "~/modules/privacy/rights.server";
import { rightsRequestSchema } from "~/modules/privacy/schema.server";

export const meta: MetaFunction = () => [{ title: "我的个人信息申请 · 匠心" }];

/** A craftsman's or an apprentice's own requests about their record, and the form to make one. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "privacy.request");
  const db = getDb();
  return json({ requests: await ownRequests(db, user), days: (await privacyPolicy(db)).answerWorkingDays });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "privacy.request");
  const fields = await request.formData();
  if (fields.get("intent") !== "file") return replyUnknownIntent();
  return replyStep("file", fields, rightsRequestSchema, (v) => fileOwnRequest(getDb(), user, v), { invalid: "请检查填写的内容" });
}

export default function MyPrivacyRequests() {
  const { requests, days } = useLoaderData<typeof loader>();
  const filed = useReply("file");
  return (
    <section>
      <h1>我的个人信息申请</h1>
      <p className="lead">
        市总工会在 {days} 个工作日内答复（<Link to="/privacy">了解您的权利</Link>）。撤回公开展示同意在提交时即生效。查阅、复制的申请经同意后，可在此下载副本。
      </p>
      <ReplyNotice reply={filed?.ok ? filed : undefined} done="申请已提交。" />
      <DataTable
        caption="我的申请"
        rows={requests}
        rowKey={(r) => r.id}
        empty="您还没有提出过申请。"
        columns={[
          { label: "编号", cell: (r) => r.id },
          { label: "事项", cell: (r) => RIGHTS_KIND_LABELS[r.kind] },
          { label: "提交时间", cell: (r) => formatDateTime(r.filed_at) },
          { label: "答复期限", cell: (r) => r.due_on },
          { label: "状态", cell: (r) => RIGHTS_STATUS_LABELS[r.status] },
          {
            label: "答复",
            cell: (r) => (
              <>
                {r.answer}
                {r.kind === "copy" && r.status === "granted" ? (
                  <>
                    {" "}
                    <a href={`/privacy/requests/${r.id}/copy`} download>
                      下载副本
                    </a>
                  </>
                ) : null}
              </>
            ),
          },
        ]}
      />
      <h2>提出申请</h2>
      <Form method="post" className="card">
        <input type="hidden" name="intent" value="file" />
        {filed?.ok ? null : <ReplyNotice reply={filed} />}
        <RightsRequestFields reply={filed} withdraw />
        <SubmitButton label="提交申请" busyLabel="正在提交…" />
      </Form>
    </section>
  );
}
