import type { z } from "zod";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ROLE_LABELS } from "~/auth/roles";
import { postedForm } from "~/auth/posted-form.server";
import { requirePermission } from "~/auth/session.server";
import { FormErrors, SubmitButton } from "~/components/forms";
import { TextField, acceptInBrowser } from "~/components/fields";
import { UserRoleFields } from "~/components/UserRoleFields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { replyDone, replyInvalid, replyRefused, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { accountHistory } from "~/modules/audit/audit.server";
import { bindIdentity, identityOf, resetSecondFactor, secondFactorEnabled, unbindIdentity, waitingIdentities } from "~/modules/users/identities.server";
import { SignInBindings } from "~/components/SignInBindings";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { bindIdentitySchema, confirmedSchema, resetPasswordSchema, updateUserSchema } from "~/modules/users/schema.server";
import { findUser, resetPassword, setActive, updateUser } from "~/modules/users/users.server";
import { HistoryCard } from "~/components/HistoryCard";
import { ReplyNotice } from "~/components/ReplyNotice";
import { SuccessNotice } from "~/components/SuccessNotice";

export const meta: MetaFunction = () => [{ title: "用户 · 匠心" }];

async function loadUser(id: string | undefined) {
  // Account ids are random letters and digits: anything else (a NUL, a full-width digit) is no account.
  const user = id && /^[a-z0-9]{1,64}$/i.test(id) ? await findUser(getDb(), id) : undefined;
  if (!user) throw notFound("用户不存在");
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "user.manage");
  const db = getDb();
  const user = await loadUser(params.userId);
  // An officer's account may have a single sign-on identity (bound from those waiting) and a one-time code.
  const officer = user.role === "city_admin" || user.role === "county_officer";
  const [units, history, identity, waiting, codeOn] = await Promise.all([
    listCountyUnits(db),
    accountHistory(db, user.id),
    officer ? identityOf(db, user.id) : undefined,
    officer ? waitingIdentities(db) : [],
    secondFactorEnabled(db, user.id),
  ]);
  return json({ user, units, history, signIn: officer ? { identity: identity ?? null, waiting, codeOn } : null });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user: actor, record: target, form, intent, db } = await postedForm(request, "user.manage", () => loadUser(params.userId));
  if (intent === "update") {
    const submission = parseWithZod(form, { schema: updateUserSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const result = await updateUser(db, actor, target.id, submission.value);
    if (!result.ok) {
      if (result.status === 404) throw notFound(result.message);
      return replyRefused(intent, result, submission);
    }
    return replyDone(intent, { submission });
  }
  if (intent === "reset-password") {
    const submission = parseWithZod(form, { schema: resetPasswordSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { hideFields: ["password"] });
    const result = await resetPassword(db, actor, target.id, submission.value.password);
    if (!result.ok && result.status === 404) throw notFound(result.message);
    return replyWith(intent, result, { submission, resetForm: true, hideFields: ["password"] });
  }
  if (intent === "bind-identity") {
    const submission = parseWithZod(form, { schema: bindIdentitySchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const result = await bindIdentity(db, actor, target.id, submission.value.identityId);
    if (!result.ok && result.status === 404) throw notFound(result.message);
    return replyWith(intent, result, { submission });
  }
  if (intent === "unbind-identity" || intent === "reset-code") {
    const submission = parseWithZod(form, { schema: confirmedSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const step = intent === "unbind-identity" ? unbindIdentity : resetSecondFactor;
    return replyWith(intent, await step(db, actor, target.id, submission.value.confirmed), { submission });
  }
  if (intent === "deactivate" || intent === "activate") {
    const result = await setActive(db, actor, target.id, intent === "activate");
    if (!result.ok && result.status === 404) throw notFound(result.message);
    return replyWith(intent, result);
  }
  return replyUnknownIntent();
}

export default function UserPage() {
  const { user } = useLoaderData<typeof loader>();
  return user.role === "apprentice" ? <ApprenticeAccount /> : <AccountForms />;
}

/** An apprentice's account: made by their code sign-in, bound to their person record, no password. */
function ApprenticeAccount() {
  const { user, history } = useLoaderData<typeof loader>();
  const deactivated = useReply("deactivate");
  const activated = useReply("activate");
  const reply = deactivated ?? activated;
  return (
    <section>
      <h1>用户：{user.username}</h1>
      <dl className="facts card">
        <dt>姓名</dt>
        <dd>{user.display_name}</dd>
        <dt>角色</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
        <dt>人员档案</dt>
        <dd>{user.person_id ? <Link to={`/people/${user.person_id}`}>{user.person_name}</Link> : null}</dd>
        <dt>登录方式</dt>
        <dd>手机验证码（学徒账号没有密码）</dd>
        <dt>状态</dt>
        <dd>{user.active ? "可用" : "已停用"}</dd>
      </dl>
      <ReplyNotice reply={reply} done={user.active ? "账号已启用。" : "账号已停用，其所有登录已退出。"} />
      <Form method="post" className="card">
        <input type="hidden" name="intent" value={user.active ? "deactivate" : "activate"} />
        <SubmitButton label={user.active ? "停用账号" : "启用账号"} primary={false} />
      </Form>
      <HistoryCard history={history} />
    </section>
  );
}

function AccountForms() {
  const { user, units, history } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const updateResult = useReply("update");
  const resetResult = useReply("reset-password");
  const [form, fields] = useForm<z.input<typeof updateUserSchema>>({
    onValidate: acceptInBrowser,
    id: "update-user",
    lastResult: updateResult?.form,
    defaultValue: {
      displayName: user.display_name,
      role: user.role,
      orgUnitId: user.org_unit_id ? String(user.org_unit_id) : "",
      personId: user.person_id ? String(user.person_id) : "",
      active: user.active ? "on" : undefined,
    },
  });
  const [resetForm, resetFields] = useForm<z.input<typeof resetPasswordSchema>>({
    onValidate: acceptInBrowser,
    id: "reset-password",
    lastResult: resetResult?.form,
  });
  return (
    <section>
      <h1>用户：{user.username}</h1>
      <SuccessNotice shown={Boolean(searchParams.get("created"))}>账号已开通。</SuccessNotice>
      <SuccessNotice shown={Boolean(updateResult?.ok)}>已保存。</SuccessNotice>
      <Form method="post" {...getFormProps(form)} className="card form-grid">
        <input type="hidden" name="intent" value="update" />
        <FormErrors errors={form.errors} />
        <TextField label="姓名" meta={fields.displayName} required />
        <UserRoleFields fields={fields} units={units} />
        <label className="checkbox">
          <input {...getInputProps(fields.active, { type: "checkbox" })} /> 账号可用
        </label>
        <SubmitButton label="保存" />
      </Form>
      <h2>重置密码</h2>
      <SuccessNotice shown={Boolean(resetResult?.ok)}>密码已重置，该用户的所有登录已退出。</SuccessNotice>
      <Form method="post" {...getFormProps(resetForm)} className="card form-grid">
        <input type="hidden" name="intent" value="reset-password" />
        <TextField label="新密码" meta={resetFields.password} hint="至少8位，须包含字母和数字" required type="password" autoComplete="new-password" />
        <SubmitButton label="重置密码" primary={false} />
      </Form>
      <SignInBindings />
      <HistoryCard history={history} />
    </section>
  );
}
