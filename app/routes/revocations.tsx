import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { can } from "~/auth/roles";
import { forbidden, requirePermission } from "~/auth/session.server";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit, Options } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { ReplyNotice } from "~/components/ReplyNotice";
import { RevocationFields } from "~/components/RevocationFields";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { queryParam } from "~/lib/validation.server";
import { documentChoices } from "~/modules/governance/documents.server";
import { RECALL_KIND_LABELS, REVOCATION_CONFIRM, REVOCATION_SCOPE_LABELS } from "~/modules/governance/revocation-labels";
import { accreditationRevocationSchema, awardRevocationSchema, campaignRevocationSchema, recallSchema } from "~/modules/governance/revocation-schema.server";
import {
  campaignChoices,
  listRevocations,
  recallsDue,
  recordRecall,
  revokeAccreditation,
  revokeAward,
  revokeCampaign,
  type RevocationDone,
} from "~/modules/governance/revocation.server";

export const meta: MetaFunction = () => [{ title: "撤销与收回 · 匠心" }];

/** The revocations (a public decision each), the certificates and plaques still to recall in the viewer's scope, and for the city the forms to revoke. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "revocation.read");
  const db = getDb();
  const page = queryParam.page().parse(searchParams(request).page);
  const canRevoke = can(user, "revocation.manage");
  const [revocations, recalls, documents, campaigns] = await Promise.all([
    listRevocations(db, page),
    recallsDue(db, user),
    canRevoke ? documentChoices(db) : Promise.resolve([]),
    canRevoke ? campaignChoices(db) : Promise.resolve([]),
  ]);
  return json({ revocations, recalls, documents, campaigns, canRevoke });
}

const revoked = (done: Extract<RevocationDone, { ok: true }>) => ({ revoked: done.revoked, alreadyRevoked: done.alreadyRevoked });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "revocation.read");
  const db = getDb();
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "recall") {
    if (!can(user, "title.recall")) throw forbidden();
    return replyStep("recall", form, recallSchema, (input) => recordRecall(db, user, input), { message: "已登记收回" });
  }
  if (intent !== "award" && intent !== "campaign" && intent !== "accreditation") return replyUnknownIntent();
  // Revoking is the city's: refused before the form is read.
  if (!can(user, "revocation.manage")) throw forbidden();
  const options = { data: revoked };
  switch (intent) {
    case "award":
      return replyStep(intent, form, awardRevocationSchema, (input) => revokeAward(db, user, input), options);
    case "campaign":
      return replyStep(intent, form, campaignRevocationSchema, (input) => revokeCampaign(db, user, input), options);
    case "accreditation":
      return replyStep(intent, form, accreditationRevocationSchema, (input) => revokeAccreditation(db, user, input), options);
  }
}

type Revoked = ReturnType<typeof revoked>;

/** One revocation form: what it takes back (`children`), its document, date and reason, the confirmation, and its reply beside it. */
function RevokeForm({
  intent,
  title,
  documents,
  children,
}: {
  intent: string;
  title: string;
  documents: Array<{ value: number; label: string }>;
  children: ReactNode;
}) {
  const reply = useReply<Revoked>(intent);
  const done = reply?.ok ? reply.data : null;
  return (
    <div className="card">
      <h3>{title}</h3>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value={intent} />
        {children}
        <RevocationFields documents={documents} />
        <ConfirmSubmit label={title} confirm={REVOCATION_CONFIRM} />
      </Form>
      {done ? (
        <div className="notice success" role="status">
          <p>已撤销 {done.revoked} 项，已通知本人及所在县级工会收回证书或牌匾。</p>
          {done.alreadyRevoked.length ? <p>此前已撤销、本次未再撤销的：{done.alreadyRevoked.join("、")}</p> : null}
        </div>
      ) : (
        <ReplyNotice reply={reply} />
      )}
    </div>
  );
}

export default function Revocations() {
  const { revocations, recalls, documents, campaigns, canRevoke } = useLoaderData<typeof loader>();
  const recalled = useReply("recall");
  return (
    <section>
      <h1>撤销与收回</h1>
      <p className="lead">
        撤销称号或摘牌须有撤销理由和撤销文件（先在文件登记页登记）；撤销后公开查验页和二维码显示“已撤销”，展示页不再列出。实物证书、牌匾由所在县级工会收回并在此登记。
      </p>
      {canRevoke ? (
        <>
          <RevokeForm intent="award" title="撤销单个称号" documents={documents}>
            <label>
              证书编号
              <input name="certificateNumber" required maxLength={40} className="mono" placeholder="TZGJ-2-001" />
            </label>
          </RevokeForm>
          <RevokeForm intent="campaign" title="撤销整届称号" documents={documents}>
            <label>
              评选活动
              <select name="campaignId" required defaultValue="">
                <option value="" disabled>
                  请选择
                </option>
                <Options choices={campaigns.map((c) => ({ value: c.id, label: c.label }))} />
              </select>
            </label>
          </RevokeForm>
          <RevokeForm intent="accreditation" title="撤销整批授牌" documents={documents}>
            <label>
              授牌批次文件
              <select name="batchDocumentId" required defaultValue="">
                <option value="" disabled>
                  请选择
                </option>
                <Options choices={documents} />
              </select>
            </label>
          </RevokeForm>
        </>
      ) : null}

      <div className="card">
        <h2>待收回的证书和牌匾（{recalls.length}）</h2>
        <ReplyNotice reply={recalled} done="已登记收回" />
        <DataTable
          rows={recalls}
          empty="没有待收回的证书或牌匾。"
          columns={[
            { label: "收回", cell: (r) => RECALL_KIND_LABELS[r.kind] },
            { label: "对象", cell: (r) => r.name },
            { label: "所属单位", cell: (r) => r.unit_name },
            { label: "撤销日期", cell: (r) => r.revoked_on },
            {
              label: "登记收回",
              cell: (r) => (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="recall" />
                  <input type="hidden" name="kind" value={r.kind} />
                  <input type="hidden" name="id" value={r.id} />
                  <label>
                    收回日期
                    <input type="date" name="recalledOn" required />
                  </label>
                  <label>
                    备注
                    <input name="note" maxLength={500} />
                  </label>
                  <button type="submit" className="button">
                    登记收回
                  </button>
                </Form>
              ),
            },
          ]}
        />
      </div>

      <div className="card">
        <h2>撤销记录</h2>
        <DataTable
          rows={revocations.rows}
          empty="还没有撤销记录。"
          columns={[
            { label: "撤销日期", cell: (r) => r.revoked_on },
            { label: "类别", cell: (r) => REVOCATION_SCOPE_LABELS[r.scope] },
            { label: "对象", cell: (r) => r.target },
            { label: "数量", cell: (r) => r.revoked },
            { label: "撤销文件", cell: (r) => `${r.document_issuer} ${r.document_number}` },
            { label: "理由", cell: (r) => r.reason },
          ]}
        />
        <Pagination page={revocations.page} total={revocations.total} pageSize={revocations.pageSize} />
      </div>
    </section>
  );
}
