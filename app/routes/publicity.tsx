import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyInvalid, replyRefused, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { filesOf, readForm } from "~/lib/upload.server";
import { publicitySchema } from "~/modules/showcase/schema.server";
import { addPublicity, listPublicity, publicitySubjects } from "~/modules/showcase/showcase.server";
import { Options, SaveMessage, SubmitButton } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { DataTable } from "~/components/DataTable";
import { OUTLET_LABELS } from "~/modules/showcase/labels";
import { UploadInput } from "~/components/UploadInput";

export const meta: MetaFunction = () => [{ title: "宣传报道 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "publicity.manage");
  const db = getDb();
  const [items, subjects] = await Promise.all([listPublicity(db, user), publicitySubjects(db, user)]);
  return json({ items, subjects });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "publicity.manage");
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("save", refuse(form.message, { field: "clipping" }));
  const submission = parseWithZod(form.formData, { schema: publicitySchema });
  // The form shows one message across its width: the first field's.
  if (submission.status !== "success") return replyInvalid("save", submission, { message: firstError(submission) });
  const [clipping] = await filesOf(form.formData, "clipping");
  const result = await addPublicity(getDb(), user, submission.value, clipping ?? null);
  return replyWith("save", result, { submission, message: "已登记", resetForm: true });
}

export default function Publicity() {
  const { items, subjects } = useLoaderData<typeof loader>();
  const reply = useReply("save");
  return (
    <section>
      <h1>宣传报道</h1>
      <p className="lead">登记台州电视台、台州日报、网站和公众号对工匠及工作室的报道；同意公开的工匠和公开的工作室页面会展示这些报道。</p>
      <Form method="post" encType="multipart/form-data" className="card form-grid" key={items.length}>
        <label className="field">
          媒体
          <select name="outlet">
            <Options choices={OUTLET_LABELS} />
          </select>
        </label>
        <label className="field">
          媒体名称或栏目
          <input name="outletName" placeholder="如：台州日报《工匠风采》专栏" />
        </label>
        <label className="field span-all">
          报道标题
          <input name="title" />
        </label>
        <label className="field">
          日期
          <input type="date" name="publishedOn" />
        </label>
        <label className="field">
          链接（可选）
          <input name="url" type="url" placeholder="https://" />
        </label>
        <SubjectField label="报道的工匠" name="personId" subjects={subjects.people} />
        <SubjectField label="或工作室" name="studioId" subjects={subjects.studios} />
        <label className="field span-all">
          剪报（PDF、JPEG 或 PNG，可选）
          <UploadInput name="clipping" accept="application/pdf,image/jpeg,image/png" />
        </label>
        <SaveMessage message={reply?.message} saved={reply?.ok} />
        <SubmitButton label="登记报道" />
      </Form>
      <DataTable
        rows={items}
        columns={[
          { label: "日期", cell: (i) => i.published_on },
          {
            label: "媒体",
            cell: (i) => (
              <>
                {OUTLET_LABELS[i.outlet]} · {i.outlet_name}
              </>
            ),
          },
          {
            label: "标题",
            cell: (i) => (
              <>
                {i.url ? (
                  <a href={i.url} rel="noopener noreferrer nofollow" target="_blank">
                    {i.title}
                  </a>
                ) : (
                  i.title
                )}
              </>
            ),
          },
          {
            label: "对象",
            cell: (i) => (
              <>
                {i.person_id ? <Link to={`/people/${i.person_id}`}>{i.person_name}</Link> : null}
                {i.studio_id ? <Link to={`/studios/${i.studio_id}`}>{i.studio_name}</Link> : null}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}

/** A report is about a craftsman or a studio; either may be left empty ("—"). */
function SubjectField({ label, name, subjects }: { label: string; name: string; subjects: { id: number; name: string }[] }) {
  return (
    <label className="field">
      {label}
      <select name={name}>
        <option value="">—</option>
        <Options choices={subjects.map((s) => ({ value: s.id, label: s.name }))} />
      </select>
    </label>
  );
}
