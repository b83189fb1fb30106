import type { z } from "zod";
import { getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import type { eventSchema } from "~/modules/events/schema.server";
import { Field, Options } from "~/components/forms";
import { CardForm, SelectField, TextField, acceptInBrowser } from "~/components/fields";

export function EventForm({
  lastResult,
  options,
  series,
  defaultValue,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  options: Array<{ value: string; label: string; studioId: number | null }>;
  series: Array<{ id: number; title: string }>;
  defaultValue: Record<string, string>;
  submitLabel: string;
}) {
  const [form, fields] = useForm<z.input<typeof eventSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue,
  });
  return (
    <CardForm form={form} submitLabel={submitLabel}>
      <TextField label="活动名称" meta={fields.title} required />
      <SelectField label="活动类型" meta={fields.kind} required choices={KIND_LABELS} />
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
          <Options choices={series.map((s) => ({ value: s.id, label: s.title }))} />
        </select>
      </Field>
      <TextField label="或新建系列" meta={fields.newSeries} hint="如“每月技能交流”" />
      <TextField label="开始时间" meta={fields.startsAt} required type="datetime-local" />
      <TextField label="结束时间" meta={fields.endsAt} required type="datetime-local" />
      <Field label="活动形式" meta={fields.channel} required>
        <select {...getSelectProps(fields.channel)}>
          <Options choices={CHANNEL_LABELS} />
        </select>
      </Field>
      <TextField label="地点或线上渠道" meta={fields.place} required />
      <TextField label="人数上限（可选）" meta={fields.capacity} inputMode="numeric" />
      <div className="span-all">
        <Field label="活动说明" meta={fields.description}>
          <textarea {...getTextareaProps(fields.description)} rows={4} />
        </Field>
      </div>
    </CardForm>
  );
}
