import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { FormErrors, SubmitButton } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { getDb } from "~/db.server";
import { ORG_UNIT_KIND_LABELS } from "~/modules/org-units/labels";
import { createSocialGroup, listOrgUnits } from "~/modules/org-units/org-units.server";
import { socialGroupSchema } from "~/modules/org-units/schema.server";
import { DataTable } from "~/components/DataTable";
import { useReply } from "~/components/useReply";
import { replyInvalid, replyWith } from "~/lib/reply.server";
import { SuccessNotice } from "~/components/SuccessNotice";

export const meta: MetaFunction = () => [{ title: "组织单位 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "org_unit.read");
  return json({ units: await listOrgUnits(getDb()), canManage: can(user, "org_unit.manage") });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "org_unit.manage");
  const submission = parseWithZod(await request.formData(), { schema: socialGroupSchema });
  if (submission.status !== "success") return replyInvalid("add", submission);
  return replyWith("add", await createSocialGroup(getDb(), user, submission.value), { submission, resetForm: true });
}

export default function OrgUnits() {
  const { units, canManage } = useLoaderData<typeof loader>();
  const reply = useReply("add");
  const [form, fields] = useForm<z.input<typeof socialGroupSchema>>({
    onValidate: acceptInBrowser,
    lastResult: reply?.form,
  });
  return (
    <section>
      <h1>组织单位</h1>
      <p className="lead">市总工会、各县级总工会，以及可直接申报推荐的社会团体（专业学会、行业协会）。</p>
      <DataTable
        rows={units}
        columns={[
          { label: "名称", cell: (u) => u.name },
          { label: "简称", cell: (u) => u.short_name },
          { label: "类别", cell: (u) => ORG_UNIT_KIND_LABELS[u.kind] },
        ]}
      />
      {canManage ? (
        <>
          <h2>添加社会团体</h2>
          <SuccessNotice shown={Boolean(reply?.ok)}>已添加。</SuccessNotice>
          <Form method="post" {...getFormProps(form)} className="card form-grid">
            <FormErrors errors={form.errors} />
            <TextField label="单位全称" meta={fields.name} required placeholder="如：台州市机械工程学会" />
            <TextField label="简称" meta={fields.shortName} required placeholder="如：机械工程学会" />
            <SubmitButton label="添加" />
          </Form>
        </>
      ) : null}
    </section>
  );
}
