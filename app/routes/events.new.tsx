import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { Field, FormErrors } from "~/components/forms";
import { SubmitButton } from "~/components/PersonForm";
import { getDb } from "~/db.server";
import { createEvent, organiserOptions, seriesOptions } from "~/modules/events/events.server";
import { CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import { eventSchema } from "~/modules/events/schema";

export const meta: MetaFunction = () => [{ title: "组织交流培训活动 · 匠心" }];

async function load(request: Request) {
  const user = await requirePermission(request, "event.read");
  const { options } = await organiserOptions(getDb(), user);
  if (!options.length) throw json({ error: "您没有可以主办活动的单位或运行中的工作室" }, { status: 403 });
  return { user, options };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, options } = await load(request);
  return json({ options, series: await seriesOptions(getDb(), user) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await load(request);
  const submission = parseWithZod(await request.formData(), { schema: eventSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await createEvent(getDb(), user, submission.value);
  if (!result.ok) return json(submission.reply({ fieldErrors: result.fieldErrors }), { status: 400 });
  return redirect(`/events/${result.id}`);
}

export default function NewEvent() {
  const { options, series } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { organiser: options[0]?.value, channel: "offline" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: eventSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section>
      <p>
        <Link to="/events">← 交流培训</Link>
      </p>
      <h1>组织交流培训活动</h1>
      <Form method="post" {...getFormProps(form)} className="card form-grid">
        <FormErrors errors={form.errors} />
        <Field label="活动名称" meta={fields.title} required>
          <input {...getInputProps(fields.title, { type: "text" })} />
        </Field>
        <Field label="活动类型" meta={fields.kind} required>
          <select {...getSelectProps(fields.kind)}>
            <option value="">请选择</option>
            {Object.entries(KIND_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label="主办方" meta={fields.organiser} required>
          <select {...getSelectProps(fields.organiser)}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.studioId ? `工作室：${o.label}` : o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="所属系列（可选）" meta={fields.seriesId}>
          <select {...getSelectProps(fields.seriesId)}>
            <option value="">不属于系列</option>
            {series.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label="或新建系列" meta={fields.newSeries} hint="如“每月技能交流”">
          <input {...getInputProps(fields.newSeries, { type: "text" })} />
        </Field>
        <Field label="开始时间" meta={fields.startsAt} required>
          <input {...getInputProps(fields.startsAt, { type: "datetime-local" })} />
        </Field>
        <Field label="结束时间" meta={fields.endsAt} required>
          <input {...getInputProps(fields.endsAt, { type: "datetime-local" })} />
        </Field>
        <Field label="活动形式" meta={fields.channel} required>
          <select {...getSelectProps(fields.channel)}>
            {Object.entries(CHANNEL_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label="地点或线上渠道" meta={fields.place} required>
          <input {...getInputProps(fields.place, { type: "text" })} />
        </Field>
        <Field label="人数上限（可选）" meta={fields.capacity}>
          <input {...getInputProps(fields.capacity, { type: "text" })} inputMode="numeric" />
        </Field>
        <div className="span-all">
          <Field label="活动说明" meta={fields.description}>
            <textarea {...getTextareaProps(fields.description)} rows={4} />
          </Field>
        </div>
        <SubmitButton label="创建活动" />
      </Form>
    </section>
  );
}
