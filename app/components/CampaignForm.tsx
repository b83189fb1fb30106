import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { campaignSchema } from "~/modules/campaigns/schema";
import { Field, FormErrors } from "~/components/forms";
import { SubmitButton } from "~/components/PersonForm";

export function CampaignForm({
  lastResult,
  defaultValue,
  intent,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string>;
  intent?: string;
}) {
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form-grid">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormErrors errors={form.errors} />
      <Field label="届次（第几届）" meta={fields.number} required>
        <input {...getInputProps(fields.number, { type: "number" })} min={1} />
      </Field>
      <Field label="年度" meta={fields.year} required>
        <input {...getInputProps(fields.year, { type: "number" })} min={2000} />
      </Field>
      <Field label="活动名称" meta={fields.title} required>
        <input {...getInputProps(fields.title, { type: "text" })} />
      </Field>
      <Field label="推荐截止日期" meta={fields.nominationDeadline} hint="县级总工会可在当天结束前录入和修改" required>
        <input {...getInputProps(fields.nominationDeadline, { type: "date" })} />
      </Field>
      <Field label="每单位推荐名额" meta={fields.quotaPerUnit} hint="原则上每个县级总工会5名" required>
        <input {...getInputProps(fields.quotaPerUnit, { type: "number" })} min={1} />
      </Field>
      <Field label="命名人数" meta={fields.titleCount} hint="前N名授予“台州工匠”称号" required>
        <input {...getInputProps(fields.titleCount, { type: "number" })} min={1} />
      </Field>
      <SubmitButton />
    </Form>
  );
}
