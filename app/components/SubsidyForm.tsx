import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { formatFen } from "~/lib/money";
import { EDUCATION_LEVELS } from "~/modules/people/options";
import { applicationSchema, STUDY_MODE_LABELS, TARGET_DEGREES } from "~/modules/subsidies/schema";
import { Field, FormErrors } from "~/components/forms";
import { SubmitButton } from "~/components/PersonForm";

export function SubsidyForm({
  lastResult,
  defaultValue,
  policy,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string>;
  policy: { share_percent: number; caps: Record<string, number> } | null;
}) {
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: applicationSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form-grid">
      <FormErrors errors={form.errors} />
      {policy ? (
        <p className="hint span-all">
          补助学费的 {policy.share_percent}%，上限：
          {TARGET_DEGREES.filter((d) => policy.caps[d])
            .map((d) => `${d} ${formatFen(policy.caps[d])}`)
            .join("，")}
          。
        </p>
      ) : null}
      <Field label="现有学历" meta={fields.currentEducation} required>
        <select {...getSelectProps(fields.currentEducation)}>
          <option value="">请选择</option>
          {EDUCATION_LEVELS.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
      </Field>
      <Field label="报读学历层次" meta={fields.targetDegree} required>
        <select {...getSelectProps(fields.targetDegree)}>
          <option value="">请选择</option>
          {TARGET_DEGREES.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
      </Field>
      <Field label="就读院校" meta={fields.institution} required>
        <input {...getInputProps(fields.institution, { type: "text" })} />
      </Field>
      <Field label="专业" meta={fields.programme} required>
        <input {...getInputProps(fields.programme, { type: "text" })} />
      </Field>
      <Field label="学习形式" meta={fields.studyMode} required>
        <select {...getSelectProps(fields.studyMode)}>
          <option value="">请选择</option>
          {Object.entries(STUDY_MODE_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </Field>
      <Field label="入学日期" meta={fields.enrolledOn} required>
        <input {...getInputProps(fields.enrolledOn, { type: "date" })} />
      </Field>
      <Field label="预计毕业日期" meta={fields.expectedGraduation} required>
        <input {...getInputProps(fields.expectedGraduation, { type: "date" })} />
      </Field>
      <Field label="学费总额（元）" meta={fields.tuition} hint="如 24,000 或 24000.00" required>
        <input {...getInputProps(fields.tuition, { type: "text" })} inputMode="decimal" />
      </Field>
      <Field label="申请补助金额（元）" meta={fields.requested} required>
        <input {...getInputProps(fields.requested, { type: "text" })} inputMode="decimal" />
      </Field>
      <SubmitButton label="保存申请" />
    </Form>
  );
}
