import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { boundedReply, parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { FormErrors, SubmitButton } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { UserRoleFields } from "~/components/UserRoleFields";
import { getDb } from "~/db.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { findPerson } from "~/modules/people/people.server";
import { createUserSchema } from "~/modules/users/schema.server";
import { createUser } from "~/modules/users/users.server";
import { idOrNull } from "~/lib/ids";

export const meta: MetaFunction = () => [{ title: "开通账号 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user.manage");
  const db = getDb();
  const personId = idOrNull(new URL(request.url).searchParams.get("personId"));
  const person = personId ? await findPerson(db, personId) : undefined;
  return json({ units: await listCountyUnits(db), person: person ? { id: person.id, name: person.name } : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "user.manage");
  const submission = parseWithZod(await request.formData(), { schema: createUserSchema });
  if (submission.status !== "success") return json(boundedReply(submission, { hideFields: ["password"] }), { status: 400 });
  const result = await createUser(getDb(), user, submission.value);
  if (!result.ok) return json(boundedReply(submission, { fieldErrors: result.fieldErrors, hideFields: ["password"] }), { status: 400 });
  return redirect(`/users/${result.id}?created=1`);
}

export default function NewUser() {
  const { units, person } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof createUserSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue: person ? { role: "craftsman", personId: String(person.id), displayName: person.name } : undefined,
  });
  return (
    <section>
      <h1>开通账号</h1>
      {person ? <p className="lead">为 {person.name} 开通工匠账号。</p> : null}
      <Form method="post" {...getFormProps(form)} className="card form-grid">
        <FormErrors errors={form.errors} />
        <TextField label="用户名" meta={fields.username} hint="登录用，3–32位小写字母、数字或 . _ -" required autoCapitalize="none" autoComplete="off" />
        <TextField label="姓名" meta={fields.displayName} required />
        <TextField
          label="初始密码"
          meta={fields.password}
          hint="至少8位，须包含字母和数字；请线下告知本人"
          required
          type="password"
          autoComplete="new-password"
        />
        <UserRoleFields fields={fields} units={units} />
        <SubmitButton label="开通" />
      </Form>
    </section>
  );
}
