import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { createAction } from "~/auth/create-action.server";
import { requirePermission } from "~/auth/session.server";
import { FormErrors, SubmitButton } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { UserRoleFields } from "~/components/UserRoleFields";
import { useReply } from "~/components/useReply";
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

export const action = (args: ActionFunctionArgs) =>
  createAction(args, "user.manage", createUserSchema, createUser, (saved) => `/users/${saved.id}?created=1`, { hideFields: ["password"] });

export default function NewUser() {
  const { units, person } = useLoaderData<typeof loader>();
  const lastResult = useReply("save")?.form;
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
