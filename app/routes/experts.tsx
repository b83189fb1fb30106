import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { DataTable } from "~/components/DataTable";
import { SaveMessage, SubmitButton } from "~/components/forms";
import { LabelledSelect } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyInvalid, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { addExpert, expertPool } from "~/modules/experts/experts.server";
import { expertSchema } from "~/modules/experts/schema.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

export const meta: MetaFunction = () => [{ title: "专家库 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "expert.manage");
  const db = getDb();
  const [pool, units] = await Promise.all([expertPool(db), listCountyUnits(db)]);
  return json({ pool, units });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "expert.manage");
  const formData = await request.formData();
  if (formData.get("intent") !== "add") return replyUnknownIntent();
  const submission = parseWithZod(formData, { schema: expertSchema });
  // The form shows one message across its width: the first field's.
  if (submission.status !== "success") return replyInvalid("add", submission, { message: firstError(submission), hideFields: ["password"] });
  const { value } = submission;
  const result = await addExpert(getDb(), user, { ...value, orgUnitId: value.orgUnitId ?? null });
  return replyWith("add", result, { submission, message: `已加入专家库，登录名 ${value.username}`, hideFields: ["password"], resetForm: true });
}

export default function Experts() {
  const { pool, units } = useLoaderData<typeof loader>();
  const reply = useReply("add");
  return (
    <section>
      <h1>专家库</h1>
      <p className="lead">评审专家各有账号，只能看到分配给自己的评审材料，且只在“专家评审”阶段。</p>
      <DataTable
        rows={pool}
        empty="专家库还没有专家。"
        columns={[
          { label: "姓名", cell: (e) => e.name },
          { label: "领域", cell: (e) => FOCUS_SECTOR_LABELS[e.field as keyof typeof FOCUS_SECTOR_LABELS] ?? e.field },
          { label: "工作单位", cell: (e) => e.employer },
          { label: "所在单位", cell: (e) => e.unit_name ?? "—" },
        ]}
      />
      <Form method="post" className="card form-grid" key={pool.length}>
        <h2 className="span-all">加入专家</h2>
        <input type="hidden" name="intent" value="add" />
        <label className="field">
          姓名
          <input name="name" required maxLength={20} />
        </label>
        <LabelledSelect label="评审领域" name="field" choices={FOCUS_SECTOR_LABELS} />
        <label className="field">
          工作单位
          <input name="employer" required maxLength={60} />
        </label>
        <LabelledSelect label="所在县级单位（用于回避）" name="orgUnitId" blank="—" choices={units.map((u) => ({ value: u.id, label: u.short_name }))} />
        <label className="field">
          联系方式
          <input name="contact" maxLength={60} />
        </label>
        <label className="field">
          登录名
          <input name="username" required autoComplete="off" />
        </label>
        <label className="field">
          初始密码
          <input name="password" type="password" required autoComplete="new-password" />
        </label>
        <div className="span-all">
          <SaveMessage message={reply?.message} saved={reply?.ok} />
          <SubmitButton label="加入专家库" />
        </div>
      </Form>
    </section>
  );
}
