import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { DataTable } from "~/components/DataTable";
import { FieldError } from "~/components/forms";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { MAX_UPLOAD_BYTES } from "~/lib/spreadsheet.server";
import { readForm } from "~/lib/upload.server";
import { honourImports, uploadHonourList } from "~/modules/honours/honours.server";
import { IMPORT_STATUS_LABELS } from "~/modules/honours/labels";

export const meta: MetaFunction = () => [{ title: "导入荣誉名单 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "honour.manage");
  return json({ imports: await honourImports(getDb(), user) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "honour.manage");
  const read = await readForm(request, clientAddress(request, context), MAX_UPLOAD_BYTES);
  if (!read.ok) return replyRefused("upload", { ...read, field: "file" });
  const { formData } = read;
  if (formData.get("intent") !== "upload") return replyUnknownIntent();
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return replyRefused("upload", refuse("请选择要导入的 .xlsx 文件", { field: "file" }));
  const uploaded = await uploadHonourList(getDb(), user, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  if (!uploaded.ok) return replyRefused("upload", uploaded);
  throw redirect(`/honours/import/${uploaded.id}`);
}

/** The upload form and the latest uploads; each upload is checked and shown before anything is written. */
export default function HonourImports() {
  const { imports } = useLoaderData<typeof loader>();
  const uploaded = useReply("upload");
  const busy = useNavigation().state === "submitting";
  return (
    <section>
      <h1>导入荣誉名单</h1>
      <p className="lead">
        上传各地报送的荣誉名单（.xlsx），需有“姓名”“身份证号码”“荣誉名称”“级别”“授予单位”“年份”列，可有“状态”“类别”“撤销日期”“撤销原因”列。
        按身份证号码与平台人员比对，先显示比对结果，确认后才写入；县级总工会只能导入本单位人员的荣誉。
      </p>
      <Form method="post" encType="multipart/form-data" className="card form-grid">
        <input type="hidden" name="intent" value="upload" />
        <label className="field">
          名单文件（.xlsx，不超过 5 MB）
          <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          <FieldError errors={replyErrors(uploaded, "file")} />
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            上传并比对
          </button>
        </div>
      </Form>
      <ReplyNotice reply={uploaded} />
      <div className="card">
        <h2>最近的导入</h2>
        <DataTable
          rows={imports}
          caption="最近的荣誉名单导入"
          empty="还没有导入荣誉名单。"
          columns={[
            { label: "文件", cell: (i) => <Link to={`/honours/import/${i.id}`}>{i.filename}</Link> },
            { label: "状态", cell: (i) => IMPORT_STATUS_LABELS[i.status] },
            { label: "导入条数", num: true, cell: (i) => i.imported ?? "—" },
            { label: "上传", cell: (i) => `${i.uploaded_by}，${formatDateTime(i.uploaded_at)}` },
          ]}
        />
      </div>
    </section>
  );
}
