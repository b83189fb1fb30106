import type { z } from "zod";
import { useForm, type SubmissionResult } from "@conform-to/react";
import { formatFen } from "~/lib/money";
import { EDUCATION_LEVELS } from "~/modules/people/options";
import type { applicationSchema } from "~/modules/subsidies/schema.server";
import { CardForm, SelectField, TextField, acceptInBrowser } from "~/components/fields";
import { STUDY_MODE_LABELS, TARGET_DEGREES } from "~/modules/subsidies/labels";

export function SubsidyForm({
  lastResult,
  defaultValue,
  policy,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string>;
  policy: { share_percent: number; caps: Record<string, number> } | null;
}) {
  const [form, fields] = useForm<z.input<typeof applicationSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue,
  });
  return (
    <CardForm form={form} submitLabel="保存申请">
      {policy ? (
        <p className="hint span-all">
          补助学费的 {policy.share_percent}%，上限：
          {TARGET_DEGREES.filter((d) => policy.caps[d])
            .map((d) => `${d} ${formatFen(policy.caps[d])}`)
            .join("，")}
          。
        </p>
      ) : null}
      <SelectField label="现有学历" meta={fields.currentEducation} required choices={EDUCATION_LEVELS} />
      <SelectField label="报读学历层次" meta={fields.targetDegree} required choices={TARGET_DEGREES} />
      <TextField label="就读院校" meta={fields.institution} required />
      <TextField label="专业" meta={fields.programme} required />
      <SelectField label="学习形式" meta={fields.studyMode} required choices={STUDY_MODE_LABELS} />
      <TextField label="入学日期" meta={fields.enrolledOn} required type="date" />
      <TextField label="预计毕业日期" meta={fields.expectedGraduation} required type="date" />
      <TextField label="学费总额（元）" meta={fields.tuition} hint="如 24,000 或 24000.00" required inputMode="decimal" />
      <TextField label="申请补助金额（元）" meta={fields.requested} required inputMode="decimal" />
    </CardForm>
  );
}
