import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { Form, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { BasisForm, TitleBasis } from "~/components/TitleBasis";
import { DataTable } from "~/components/DataTable";
import { Field, FormErrors, SaveMessage, SubmitButton } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { UploadInput } from "~/components/UploadInput";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { replyInvalid, replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { filesOf, readForm } from "~/lib/upload.server";
import { documentChoices, listDocuments, programmeBasis, recordDocument, setProgrammeBasis } from "~/modules/governance/documents.server";
import { chineseDate, DOCUMENT_FILE_LABELS, DOCUMENT_MAX_BYTES, type DocumentFileType } from "~/modules/governance/labels";
import { basisSchema, documentSchema } from "~/modules/governance/schema.server";

export const meta: MetaFunction = () => [{ title: "决定文件 · 匠心" }];

/** The register of decision documents: every officer reads it; the city records documents and the programme's basis. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "document.read");
  const db = getDb();
  const manage = can(user, "document.manage");
  const [documents, programme, choices] = await Promise.all([listDocuments(db), programmeBasis(db), manage ? documentChoices(db) : Promise.resolve([])]);
  return json({ documents, programme, choices, manage });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "document.manage");
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("save", refuse(form.message, { field: "file" }));
  const db = getDb();
  switch (form.formData.get("intent")) {
    case "save": {
      const submission = parseWithZod(form.formData, { schema: documentSchema });
      if (submission.status !== "success") return replyInvalid("save", submission);
      const [file] = await filesOf(form.formData, "file", 1);
      const result = await recordDocument(db, user, submission.value, file ?? null);
      return replyWith("save", result, { submission, message: "已登记", resetForm: true });
    }
    case "programme":
      return replyStep("programme", form.formData, basisSchema, ({ documentId }) => setProgrammeBasis(db, user, documentId), { message: "已保存" });
    default:
      return replyUnknownIntent();
  }
}

export default function Documents() {
  const { documents, programme, choices, manage } = useLoaderData<typeof loader>();
  const reply = useReply("save");
  const [form, fields] = useForm<z.input<typeof documentSchema> & { file?: string }>({
    onValidate: acceptInBrowser,
    id: `document-${documents.length}`,
    lastResult: reply?.form,
    defaultValue: { issuer: "台州市总工会" },
  });
  return (
    <section>
      <h1>决定文件</h1>
      <p className="lead">每一届评选的命名决定、工匠工作室创建活动的批准文件和每一批授牌决定都在这里登记；公开页面、证书和牌匾据此写明发文机关、文号和日期。</p>

      <div className="card">
        <h2>工匠工作室创建活动的批准文件</h2>
        {programme ? <TitleBasis basis={programme} act="开展工匠工作室创建" /> : <p>未登记。</p>}
        {manage ? <BasisForm intent="programme" label="批准文件" documents={choices} current={programme?.id ?? null} /> : null}
      </div>

      {manage ? (
        <>
          <h2>登记决定文件</h2>
          <SaveMessage message={reply?.message} saved={reply?.ok} />
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card form-grid">
            <input type="hidden" name="intent" value="save" />
            <FormErrors errors={form.errors} />
            <TextField label="发文机关" meta={fields.issuer} required maxLength={60} />
            <TextField
              label="文号"
              meta={fields.number}
              required
              maxLength={60}
              placeholder="台总工〔2018〕10号"
              hint="括号可输入 [ ] 或 ( )，保存时统一为〔〕"
            />
            <TextField label="发文日期" meta={fields.issuedOn} required type="date" />
            <TextField label="文件标题" meta={fields.title} required maxLength={200} placeholder="关于命名第二届“台州工匠”的决定" />
            <Field label={`文件原件（PDF、Word 或图片，最大 ${DOCUMENT_MAX_BYTES / 1024 / 1024} MB，可选）`} meta={fields.file}>
              <UploadInput id={fields.file.id} name="file" accept="application/pdf,image/jpeg,image/png,.doc,.docx" />
            </Field>
            <SubmitButton label="登记文件" />
          </Form>
        </>
      ) : null}

      <DataTable
        rows={documents}
        empty="还没有登记决定文件。"
        columns={[
          { label: "文号", cell: (d) => d.number },
          { label: "发文机关", cell: (d) => d.issuer },
          { label: "日期", cell: (d) => chineseDate(d.issued_on) },
          { label: "标题", cell: (d) => `《${d.title}》` },
          {
            label: "原件",
            cell: (d) =>
              d.file_type ? (
                <a href={`/document-files/${d.id}`} target="_blank" rel="noreferrer">
                  {DOCUMENT_FILE_LABELS[d.file_type as DocumentFileType] ?? "文件"}
                </a>
              ) : (
                "—"
              ),
          },
          {
            label: "依据它的",
            cell: (d) =>
              [...d.campaigns.map((c) => `${c}命名`), ...(d.programme ? ["工作室创建活动"] : []), ...(d.studios ? [`${d.studios} 家工作室授牌`] : [])].join(
                "、",
              ) || "—",
          },
        ]}
      />
    </section>
  );
}
