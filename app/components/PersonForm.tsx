import type { z } from "zod";
import { getInputProps, getSelectProps, useForm, type FieldMetadata, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { useRef } from "react";
import { parseIdNumber } from "~/modules/people/id-number";
import { EDUCATION_LEVELS, ETHNICITIES, INDUSTRY_SUGGESTIONS, POLITICAL_STATUSES, SKILL_LEVELS } from "~/modules/people/options";
import type { createPersonSchema } from "~/modules/people/schema.server";
import { Field } from "~/components/forms";
import { CardForm, SelectField, TextField, UnitField, acceptInBrowser } from "~/components/fields";

export interface PersonFormDefaults {
  name?: string;
  sex?: string;
  birthDate?: string;
  ethnicity?: string;
  education?: string;
  politicalStatus?: string;
  employer?: string;
  industry?: string;
  position?: string;
  title?: string;
  skillLevel?: string;
  orgUnitId?: string;
}

type PersonFieldName =
  | "name"
  | "idNumber"
  | "sex"
  | "birthDate"
  | "ethnicity"
  | "education"
  | "politicalStatus"
  | "orgUnitId"
  | "employer"
  | "industry"
  | "position"
  | "title"
  | "skillLevel"
  | "phone";

export interface PersonFieldsProps {
  mode: "create" | "update";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by the person and nomination forms
  form: FormMetadata<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fields: Record<PersonFieldName, FieldMetadata<any>>;
  units: Array<{ id: number; short_name: string }>;
  /** County officers file people under their own unit only. */
  fixedUnit?: { id: number; short_name: string } | null;
  maskedIdNumber?: string;
  maskedPhone?: string | null;
}

/** The person fields of the 推荐审批表, for any form that registers or edits a person. */
export function PersonFields({ mode, form, fields, units, fixedUnit, maskedIdNumber, maskedPhone }: PersonFieldsProps) {
  // The ID number already says the birth date and sex: fill them in while they are empty, and
  // again when the number changes — but never over a value the user chose themselves.
  const filled = useRef<{ birthDate?: string; sex?: string }>({});
  const fillFromIdNumber = (value: string) => {
    const parsed = parseIdNumber(value);
    if (!parsed.ok) return;
    for (const key of ["birthDate", "sex"] as const) {
      const current = fields[key].value;
      if (current && current !== filled.current[key]) continue;
      form.update({ name: fields[key].name, value: parsed.value[key] });
      filled.current[key] = parsed.value[key];
    }
  };
  return (
    <>
      <TextField label="姓名" meta={fields.name} required autoComplete="off" />
      <Field
        label="身份证号码"
        meta={fields.idNumber}
        required={mode === "create"}
        hint={mode === "update" ? `当前：${maskedIdNumber ?? ""}。不修改请留空。` : "18位，末位X可小写"}
      >
        <input
          {...getInputProps(fields.idNumber, { type: "text" })}
          inputMode="text"
          autoComplete="off"
          maxLength={22}
          onBlur={(e) => fillFromIdNumber(e.currentTarget.value)}
        />
      </Field>
      <Field label="性别" meta={fields.sex} required>
        <select {...getSelectProps(fields.sex)}>
          <option value="">请选择</option>
          <option value="M">男</option>
          <option value="F">女</option>
        </select>
      </Field>
      <TextField label="出生日期" meta={fields.birthDate} required type="date" />
      <SelectField label="民族" meta={fields.ethnicity} required choices={ETHNICITIES} />
      <SelectField label="学历" meta={fields.education} required choices={EDUCATION_LEVELS} />
      <SelectField label="政治面貌" meta={fields.politicalStatus} required choices={POLITICAL_STATUSES} />
      <UnitField meta={fields.orgUnitId} units={units} fixed={fixedUnit} />
      <TextField label="工作单位" meta={fields.employer} required />
      <Field label="所属行业" meta={fields.industry} required>
        <input {...getInputProps(fields.industry, { type: "text" })} list="industry-suggestions" />
        <datalist id="industry-suggestions">
          {INDUSTRY_SUGGESTIONS.map((i) => (
            <option key={i} value={i} />
          ))}
        </datalist>
      </Field>
      <TextField label="职务" meta={fields.position} />
      <TextField label="职称" meta={fields.title} />
      <SelectField label="技术等级" meta={fields.skillLevel} required choices={SKILL_LEVELS} />
      <TextField
        label="联系电话"
        meta={fields.phone}
        hint={mode === "update" ? `当前：${maskedPhone ?? "未填"}。不修改请留空。` : "手机号或带区号的固定电话"}
        type="tel"
        autoComplete="off"
      />
      {mode === "update" && maskedPhone ? (
        <label className="checkbox">
          <input type="checkbox" name="clearPhone" value="on" /> 清除已登记的电话
        </label>
      ) : null}
    </>
  );
}

export function PersonForm({
  mode,
  lastResult,
  defaultValue,
  units,
  fixedUnit,
  maskedIdNumber,
  maskedPhone,
}: Omit<PersonFieldsProps, "form" | "fields"> & {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: PersonFormDefaults;
}) {
  const [form, fields] = useForm<z.input<typeof createPersonSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue: { ...defaultValue, orgUnitId: fixedUnit ? String(fixedUnit.id) : defaultValue?.orgUnitId },
  });
  return (
    <CardForm form={form}>
      <PersonFields mode={mode} form={form} fields={fields} units={units} fixedUnit={fixedUnit} maskedIdNumber={maskedIdNumber} maskedPhone={maskedPhone} />
    </CardForm>
  );
}
