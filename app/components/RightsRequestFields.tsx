import { LabelledField, LabelledSelect, replyErrors } from "~/components/ReplyNotice";
import type { Reply } from "~/lib/reply";
import { CORRECTION_LABEL, RIGHTS_KIND_LABELS } from "~/modules/privacy/labels";

/**
 * What a rights request asks (which right, what, and a correction's new value): the signed-in form of
 * /privacy/requests and the by-phone form of /privacy alike. A phone number has no showcase consent to
 * withdraw (filePhoneRequest refuses it), so the by-phone form leaves 撤回公开展示同意 out.
 */
export function RightsRequestFields({ reply, withdraw }: { reply: Reply<unknown> | undefined; withdraw: boolean }) {
  const choices = withdraw ? RIGHTS_KIND_LABELS : Object.fromEntries(Object.entries(RIGHTS_KIND_LABELS).filter(([kind]) => kind !== "withdraw"));
  return (
    <>
      <LabelledSelect label="申请事项" name="kind" required choices={choices} errors={replyErrors(reply, "kind")} />
      <LabelledField label="申请内容" errors={replyErrors(reply, "details")}>
        <textarea name="details" maxLength={1000} rows={3} required />
      </LabelledField>
      <LabelledField label={`${CORRECTION_LABEL}（申请更正时填写）`} errors={replyErrors(reply, "correction")}>
        <textarea name="correction" maxLength={1000} rows={2} />
      </LabelledField>
    </>
  );
}
