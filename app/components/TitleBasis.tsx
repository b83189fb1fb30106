import { Form, Link } from "@remix-run/react";
import { Options, SaveMessage, SubmitButton } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { basisLine, type StudioBasis, type TitleBasis as Basis } from "~/modules/governance/labels";

/** What a title rests on, in one line: nothing while the city has not recorded it. */
export function TitleBasis({ basis, act }: { basis: Basis | null; act: string }) {
  return basis ? <p className="title-basis">{basisLine(basis, act)}</p> : null;
}

/** A studio's two: the programme it was created under, and the 授牌决定 it was accredited by. */
export function StudioTitleBasis({ basis }: { basis: StudioBasis }) {
  return (
    <>
      <TitleBasis basis={basis.programme} act="开展工匠工作室创建" />
      <TitleBasis basis={basis.accreditation} act="授牌" />
    </>
  );
}

/**
 * Choosing the document something rests on (a campaign's naming decision, the studio programme's):
 * a select of the recorded documents, the current one chosen, with the reply beside it.
 */
export function BasisForm({
  intent,
  label,
  documents,
  current,
}: {
  intent: string;
  label: string;
  documents: Array<{ value: number; label: string }>;
  current: number | null;
}) {
  const reply = useReply(intent);
  if (!documents.length) {
    return (
      <p className="hint">
        还没有登记任何决定文件：请先在<Link to="/documents">决定文件</Link>中登记。
      </p>
    );
  }
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <label>
        {label}
        <select name="documentId" defaultValue={current ?? ""} aria-invalid={reply?.ok === false || undefined}>
          <option value="">请选择</option>
          <Options choices={documents} />
        </select>
      </label>
      <SubmitButton label="保存" primary={false} />
      <SaveMessage message={reply?.message ?? (reply?.ok ? "已保存" : null)} saved={reply?.ok} />
    </Form>
  );
}
