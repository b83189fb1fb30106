import { FieldError } from "~/components/forms";
import { OTHER_SCHEME_LABELS } from "~/modules/subsidies/labels";

/** 补助项目类别 — the other scheme a claim or an imported list belongs to (全总, 省总, the employer…). */
export function SchemeSelect({ errors }: { errors: string[] | undefined }) {
  return (
    <label className="field">
      补助项目类别
      <select name="scheme" required defaultValue="">
        <option value="" disabled>
          请选择
        </option>
        {Object.entries(OTHER_SCHEME_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <FieldError errors={errors} />
    </label>
  );
}
