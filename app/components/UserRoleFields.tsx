import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import { FORM_ROLES, ROLE_LABELS, type Role } from "~/auth/roles";
import { Field, Options } from "~/components/forms";
import { TextField } from "~/components/fields";

/** Role plus the unit or person the role is bound to; shared by the new-user and edit-user forms. */
export function UserRoleFields({
  fields,
  units,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by two forms of different shapes
  fields: { role: FieldMetadata<any>; orgUnitId: FieldMetadata<any>; personId: FieldMetadata<any> };
  units: Array<{ id: number; short_name: string }>;
}) {
  const role = fields.role.value as Role | undefined;
  return (
    <>
      <Field label="角色" meta={fields.role} required>
        <select {...getSelectProps(fields.role)}>
          <option value="">请选择</option>
          {FORM_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </Field>
      {role === "county_officer" ? (
        <Field label="所属县级总工会" meta={fields.orgUnitId} required>
          <select {...getSelectProps(fields.orgUnitId)}>
            <option value="">请选择</option>
            <Options choices={units.map((u) => ({ value: u.id, label: u.short_name }))} />
          </select>
        </Field>
      ) : null}
      {role === "craftsman" ? (
        <TextField label="人员档案编号" meta={fields.personId} hint="在人员档案页点击“开通工匠账号”会自动填入" required inputMode="numeric" />
      ) : null}
    </>
  );
}
