import type { z } from "zod";
import { getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { studioSchema } from "~/modules/studios/schema.server";
import { Field } from "~/components/forms";
import { CardForm, SelectField, TextField, UnitField, acceptInBrowser } from "~/components/fields";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";

export interface LeaderOption {
  id: number;
  name: string;
  employer: string;
  industry: string;
  org_unit_id: number;
  title: string;
}

export function StudioForm({
  lastResult,
  defaultValue,
  leaders,
  units,
  fixedUnitId,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string>;
  /** Named craftsmen who may lead it; a single one is fixed (the craftsman applying, or an edit). */
  leaders: LeaderOption[];
  units: Array<{ id: number; short_name: string }>;
  fixedUnitId?: number | null;
}) {
  const [form, fields] = useForm<z.input<typeof studioSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue,
  });
  // Choosing the craftsman fills in what the studio usually takes from them, if still empty.
  const chooseLeader = (id: string) => {
    const leader = leaders.find((l) => String(l.id) === id);
    if (!leader) return;
    if (!fields.name.value) form.update({ name: fields.name.name, value: `${leader.name}工匠工作室` });
    if (!fields.hostEnterprise.value) form.update({ name: fields.hostEnterprise.name, value: leader.employer });
    if (!fields.industry.value) form.update({ name: fields.industry.name, value: leader.industry });
    if (!fields.orgUnitId.value && !fixedUnitId) form.update({ name: fields.orgUnitId.name, value: String(leader.org_unit_id) });
  };
  return (
    <CardForm form={form}>
      <Field label="领衔工匠" meta={fields.leaderPersonId} required>
        {leaders.length === 1 ? (
          <>
            <input type="hidden" name={fields.leaderPersonId.name} value={leaders[0].id} />
            <input id={fields.leaderPersonId.id} value={`${leaders[0].name}（${leaders[0].title}）`} readOnly />
          </>
        ) : (
          <select {...getSelectProps(fields.leaderPersonId)} onChange={(e) => chooseLeader(e.currentTarget.value)}>
            <option value="">请选择</option>
            {leaders.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}（{l.title}，{l.employer}）
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField label="工作室名称" meta={fields.name} hint="以工匠个人名字命名，如“王建国工匠工作室”" required />
      <TextField label="依托企业" meta={fields.hostEnterprise} required />
      <TextField label="所属行业" meta={fields.industry} required />
      <SelectField label="重点领域" meta={fields.focusSector} hint="通知聚焦的三大领域" required choices={FOCUS_SECTOR_LABELS} />
      <UnitField meta={fields.orgUnitId} units={units} fixed={units.find((u) => u.id === fixedUnitId)} />
      <div className="span-all">
        <TextField label="地址" meta={fields.address} required />
        <Field label="主攻方向" meta={fields.focusAreas} required>
          <textarea {...getTextareaProps(fields.focusAreas)} rows={3} />
        </Field>
        <Field label="建设方案" meta={fields.foundingPlan} hint="目标、师带徒计划、场地与设备、经费来源等" required>
          <textarea {...getTextareaProps(fields.foundingPlan)} rows={8} />
        </Field>
      </div>
    </CardForm>
  );
}
