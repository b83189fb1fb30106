import { Options } from "~/components/forms";

/**
 * The fields every revocation posts (its own document, its date, its reason): the studio page's 摘牌 and
 * the forms of /revocations alike. The documents are recorded beforehand (/documents).
 */
export function RevocationFields({ documents, withReason = true }: { documents: ReadonlyArray<{ value: number; label: string }>; withReason?: boolean }) {
  return (
    <>
      <label>
        撤销文件
        <select name="documentId" required defaultValue="">
          <option value="" disabled>
            {documents.length ? "请选择" : "尚未登记任何文件"}
          </option>
          <Options choices={documents} />
        </select>
      </label>
      <label>
        撤销日期
        <input type="date" name="revokedOn" required />
      </label>
      {withReason ? (
        <label>
          撤销理由
          <input name="reason" required maxLength={500} />
        </label>
      ) : null}
    </>
  );
}
