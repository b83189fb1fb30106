import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { idParam } from "~/lib/http.server";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { refuse, type Result } from "~/lib/result";
import { commitHonourImport, discardHonourImport, honourImportFor } from "~/modules/honours/honours.server";
import { HONOUR_KIND_LABELS, HONOUR_LEVEL_LABELS, HONOUR_STATUS_LABELS, IMPORT_STATUS_LABELS } from "~/modules/honours/labels";
import { commitImportSchema } from "~/modules/honours/schema.server";

export const meta: MetaFunction = () => [{ title: "荣誉名单比对结果 · 匠心" }];

async function upload(request: Request, importId: string | undefined) {
  const user = await requirePermission(request, "honour.manage");
  const found = await honourImportFor(getDb(), user, idParam(importId));
  if (!found.ok) throw json({ error: found.message }, { status: found.status });
  return { user, upload: found.upload };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return json({ upload: (await upload(request, params.importId)).upload });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, upload: found } = await upload(request, params.importId);
  const db = getDb();
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "commit":
      return replyStep(
        "commit",
        formData,
        commitImportSchema,
        async ({ confirmed }): Promise<Result<{ imported: number; skipped: number }>> =>
          confirmed ? commitHonourImport(db, user, found.id) : refuse("请确认后再导入"),
        { data: ({ imported, skipped }) => ({ imported, skipped }) },
      );
    case "discard":
      return replyStep("discard", formData, commitImportSchema, async ({ confirmed }): Promise<Result> =>
        confirmed ? discardHonourImport(db, user, found.id) : refuse("请确认后再放弃"),
      );
    default:
      return replyUnknownIntent();
  }
}

/** What the upload found: the rows to write (by person), the rows refused and the rows passed over; then commit or discard. */
export default function HonourImport() {
  const { upload: u } = useLoaderData<typeof loader>();
  const committed = useReply<{ imported: number; skipped: number }>("commit");
  const discarded = useReply("discard");
  const { rows, problems, skipped } = u.preview;
  return (
    <section>
      <BackLink to="/honours/import">导入荣誉名单</BackLink>
      <h1>{u.filename}</h1>
      <p className="lead">
        {u.uploaded_by} 于 {formatDateTime(u.uploaded_at)} 上传 · {IMPORT_STATUS_LABELS[u.status]}
        {u.imported !== null ? `，已导入 ${u.imported} 条` : ""}
      </p>
      <ReplyNotice
        reply={committed}
        done={
          committed?.data
            ? `已导入 ${committed.data.imported} 条荣誉${committed.data.skipped ? `，${committed.data.skipped} 条已登记过或已不在本单位，跳过` : ""}`
            : undefined
        }
      />
      <ReplyNotice reply={discarded} done="已放弃导入，没有写入任何荣誉。" />
      {u.status === "preview" ? (
        <div className="card">
          <p>
            可导入 {rows.length} 条；有问题 {problems.length} 行（不导入）；已登记过 {skipped.length} 行（跳过）。确认前不会写入任何荣誉。
          </p>
          <div className="actions">
            {rows.length ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="commit" />
                <ConfirmSubmit label={`导入 ${rows.length} 条`} confirm={`将下列 ${rows.length} 条荣誉写入各人的荣誉档案？有问题的行不导入。`} />
              </Form>
            ) : null}
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="discard" />
              <ConfirmSubmit label="放弃导入" confirm="放弃这份名单？不会写入任何荣誉，可改正后重新上传。" />
            </Form>
          </div>
        </div>
      ) : null}
      <div className="card">
        <h2>可导入的行</h2>
        <DataTable
          rows={rows}
          rowKey={(r) => r.line}
          compact
          empty="没有可导入的行。"
          columns={[
            { label: "行", num: true, cell: (r) => r.line },
            { label: "姓名", cell: (r) => <Link to={`/people/${r.personId}`}>{r.name}</Link> },
            { label: "级别", cell: (r) => HONOUR_LEVEL_LABELS[r.level] },
            { label: "类别", cell: (r) => HONOUR_KIND_LABELS[r.kind] },
            { label: "荣誉名称", cell: (r) => r.title },
            { label: "授予单位", cell: (r) => r.conferredBy },
            { label: "年份", cell: (r) => r.year },
            { label: "状态", cell: (r) => (r.revokedOn ? `${HONOUR_STATUS_LABELS[r.status]}（${formatDate(r.revokedOn)}）` : HONOUR_STATUS_LABELS[r.status]) },
          ]}
        />
      </div>
      {problems.length ? (
        <div className="card">
          <h2>有问题的行（不导入）</h2>
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {skipped.length ? (
        <div className="card">
          <h2>已登记过的行（跳过）</h2>
          <ul className="problems">
            {skipped.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
