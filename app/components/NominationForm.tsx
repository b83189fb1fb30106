import type { z } from "zod";
import { getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { useState } from "react";
import { CONDITIONS } from "~/modules/nominations/eligibility";
import type { createNominationSchema } from "~/modules/nominations/schema.server";
import { Field } from "~/components/forms";
import { CardForm, TextField, acceptInBrowser } from "~/components/fields";
import { PersonFields } from "~/components/PersonForm";
import { CHANNEL_LABELS, DEEDS_SUMMARY_MAX, DEEDS_SUMMARY_TARGET, STORY_MAX, STORY_TARGET } from "~/modules/nominations/labels";

type Unit = { id: number; short_name: string; kind: string };

function CountedTextarea({
  meta,
  target,
  max,
  rows,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  meta: any;
  target: number;
  max: number;
  rows: number;
}) {
  const [length, setLength] = useState(String(meta.initialValue ?? "").length);
  return (
    <>
      <span className={length > max ? "counter over" : "counter"} aria-live="polite">
        {length} / 约{target}字（最多{max}字）
      </span>
      <textarea {...getTextareaProps(meta)} rows={rows} onInput={(e) => setLength(e.currentTarget.value.length)} />
    </>
  );
}

export function NominationForm({
  mode,
  lastResult,
  defaultValue,
  countyUnits,
  nominatingUnits,
  fixedUnit,
  maskedIdNumber,
  maskedPhone,
}: {
  mode: "create" | "update";
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string | string[]>;
  countyUnits: Unit[];
  /** The city picks any county unit or social group; a county officer files under their own unit. */
  nominatingUnits: Unit[];
  fixedUnit?: Unit | null;
  maskedIdNumber?: string;
  maskedPhone?: string | null;
}) {
  const [form, fields] = useForm<z.input<typeof createNominationSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue: {
      channel: "union",
      inSkillPost: "yes",
      ...defaultValue,
      ...(fixedUnit ? { orgUnitId: String(fixedUnit.id), nominatingUnitId: String(fixedUnit.id) } : {}),
    },
  });
  const chosen = new Set([fields.conditions.initialValue].flat().filter(Boolean).map(String));
  return (
    <CardForm form={form}>
      <h2 className="span-all">推荐信息</h2>
      <Field label="推荐方式" meta={fields.channel} required>
        <select {...getSelectProps(fields.channel)}>
          {Object.entries(CHANNEL_LABELS)
            .filter(([key]) => !fixedUnit || key !== "social_group")
            .map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
        </select>
      </Field>
      <Field label="推荐单位" meta={fields.nominatingUnitId} required>
        {fixedUnit ? (
          <>
            <input type="hidden" name={fields.nominatingUnitId.name} value={fixedUnit.id} />
            <input id={fields.nominatingUnitId.id} value={fixedUnit.short_name} readOnly />
          </>
        ) : (
          <select {...getSelectProps(fields.nominatingUnitId)}>
            <option value="">请选择</option>
            {nominatingUnits.map((u) => (
              <option key={u.id} value={u.id}>
                {u.kind === "social_group" ? `社会团体：${u.short_name}` : u.short_name}
              </option>
            ))}
          </select>
        )}
      </Field>

      <h2 className="span-all">推荐审批表 · 个人信息</h2>
      <PersonFields
        mode={mode}
        form={form}
        fields={fields}
        units={countyUnits}
        fixedUnit={fixedUnit}
        maskedIdNumber={maskedIdNumber}
        maskedPhone={maskedPhone}
      />

      <h2 className="span-all">选树条件</h2>
      <TextField label="直接从事一线技能工作年限" meta={fields.frontlineYears} hint="须满5年" required type="number" min={0} max={60} inputMode="numeric" />
      <Field label="目前是否仍在技能岗位" meta={fields.inSkillPost} required>
        <select {...getSelectProps(fields.inSkillPost)}>
          <option value="yes">是</option>
          <option value="no">否</option>
        </select>
      </Field>
      <fieldset className="span-all field">
        <legend>符合下列条件（至少一项）</legend>
        <div className="choice-list">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n}>
              <input type="checkbox" name={fields.conditions.name} value={String(n)} defaultChecked={chosen.has(String(n))} />
              {CONDITIONS[n].text}
            </label>
          ))}
        </div>
        {fields.conditions.errors ? <p className="field-error">{fields.conditions.errors.join("；")}</p> : null}
      </fieldset>
      <label className="checkbox">
        <input {...getInputProps(fields.teacherOrResearcher, { type: "checkbox" })} /> 系各级各类学校教师或专门研究人员（不在选树之列）
      </label>

      <h2 className="span-all">事迹</h2>
      <div className="span-all">
        <Field label="已获荣誉" meta={fields.honors}>
          <textarea {...getTextareaProps(fields.honors)} rows={3} />
        </Field>
        <Field label="主要技术成果" meta={fields.achievements} required>
          <textarea {...getTextareaProps(fields.achievements)} rows={4} />
        </Field>
        <Field label="主要事迹（500字左右）" meta={fields.deedsSummary} required>
          <CountedTextarea meta={fields.deedsSummary} target={DEEDS_SUMMARY_TARGET} max={DEEDS_SUMMARY_MAX} rows={8} />
        </Field>
        <Field label="事迹材料（2000字左右）" meta={fields.story}>
          <CountedTextarea meta={fields.story} target={STORY_TARGET} max={STORY_MAX} rows={14} />
        </Field>
      </div>
    </CardForm>
  );
}
