import type { z } from "zod";
import { getTextareaProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/forms";
import { CardForm, TextField, acceptInBrowser } from "~/components/fields";
import { PersonFields } from "~/components/PersonForm";
import { guardedAction } from "~/auth/create-action.server";
import { guardedRecord } from "~/auth/guarded-record.server";
import { canManageApprentices } from "~/modules/studios/policy";
import { apprenticeSchema } from "~/modules/studios/schema.server";
import { addApprentice } from "~/modules/studios/mentorships.server";
import { studioForViewer } from "~/modules/studios/studios.server";
import { todayInTaizhou } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "登记学徒 · 匠心" }];

const guard = ({ request, params }: LoaderFunctionArgs) =>
  guardedRecord(request, "studio.read", studioForViewer, params.studioId, canManageApprentices, "工作室授牌后才能登记学徒");

export async function loader(args: LoaderFunctionArgs) {
  const { record: studio } = await guard(args);
  return json({
    studio: {
      id: studio.id,
      name: studio.name,
      org_unit_id: studio.org_unit_id,
      unit_name: studio.unit_name,
      host_enterprise: studio.host_enterprise,
      industry: studio.industry,
    },
  });
}

export const action = (args: ActionFunctionArgs) =>
  guardedAction(
    args,

    guard,
    apprenticeSchema,
    (db, user, studio, value) => addApprentice(db, user, studio.id, value),
    (saved) => `/mentorships/${saved.id}`,
  );

export default function NewApprentice() {
  const { studio } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>()?.form;
  const today = todayInTaizhou();
  const [form, fields] = useForm<z.input<typeof apprenticeSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue: { orgUnitId: String(studio.org_unit_id), employer: studio.host_enterprise, industry: studio.industry, startDate: today },
  });
  const unit = { id: studio.org_unit_id, short_name: studio.unit_name };
  return (
    <section>
      <p>
        <Link to={`/studios/${studio.id}`}>← {studio.name}</Link>
      </p>
      <h1>登记学徒（师徒结对）</h1>
      <p className="lead">已登记过的人员按身份证号码自动关联，不会重复建档。</p>
      <CardForm form={form} submitLabel="登记结对">
        <PersonFields mode="create" form={form} fields={fields} units={[unit]} fixedUnit={unit} />
        <h2 className="span-all">师徒结对协议</h2>
        <TextField label="结对日期" meta={fields.startDate} required type="date" />
        <TextField label="计划结束日期" meta={fields.plannedEnd} required type="date" />
        <div className="span-all">
          <Field label="培养目标" meta={fields.goals} hint="如：三年内取得高级工证书，参加市级技能竞赛" required>
            <textarea {...getTextareaProps(fields.goals)} rows={3} />
          </Field>
        </div>
      </CardForm>
    </section>
  );
}
