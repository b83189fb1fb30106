import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { assertSafePost } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { AltchaWidget } from "~/components/AltchaWidget";
import { FieldError } from "~/components/forms";
import { NoticeBody, ObjectionForm, ObjectionLookup } from "~/components/ObjectionForm";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { parseWithZod } from "~/lib/form.server";
import { checkedCode } from "~/lib/validation.server";
import { firstError, replyDone, replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { PLATFORM_CARD, shareCard, shareMeta } from "~/lib/og";
import { smsGateway } from "~/lib/sms.server";
import { filesOf, readForm } from "~/lib/upload.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { campaignBasis } from "~/modules/governance/documents.server";
import { basisLine } from "~/modules/governance/labels";
import { fileObjection, noticeBoard, OBJECTION_MAX_FILES, objectionOutcome, requestObjectionCode } from "~/modules/voting/notice.server";
import { codeRequestSchema, lookupSchema, objectionSchema } from "~/modules/voting/schema.server";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data
    ? shareMeta(
        `${data.label}“台州工匠”拟命名人选公示`,
        "公示期内，对公示对象有异议的，可实名反映。",
        shareCard("notice", data.campaign.id, `${data.label}“台州工匠”拟命名人选公示`),
        at,
      )
    : shareMeta("社会公示", "公示期内，对公示对象有异议的，可实名反映。", PLATFORM_CARD, at);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const board = await noticeBoard(db, idParam(params.campaignId));
  if (!board || board.state === "not_stage") throw notFound("没有这次公示");
  const lookup = await checkedCode(request, "lookup", lookupSchema, (code) => objectionOutcome(db, board.campaign.id, code));
  const basis = await campaignBasis(db, board.campaign.id);
  return json(
    {
      campaign: { id: board.campaign.id, title: board.campaign.title, start: board.campaign.notice_start, end: board.campaign.notice_end },
      label: campaignLabel(board.campaign.number),
      // Worded here: the page carries the sentence, not the component (the public page's script budget).
      basis: basis && basisLine(basis, "组织评选"),
      state: board.state,
      contact: board.contact,
      names: board.names,
      lookup: lookup.checked,
      lookupError: lookup.error,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** What is never sent back: the solved challenge is spent, the code is the phone's secret, the ID number the objector's. */
const UNECHOED = ["altcha", "code", "idNumber"];

/** The first wrong field's message, which the form shows beside it. */

export async function action({ request, params, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const db = getDb();
  const campaignId = idParam(params.campaignId);
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("object", refuse(form.message, { field: "files" }));
  const fields = form.formData;
  const origin = { address: clientAddress(request, context) };
  const intent = fields.get("intent");
  if (intent === "code") {
    const submission = parseWithZod(fields, { schema: codeRequestSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission), hideFields: UNECHOED });
    const result = await requestObjectionCode(db, smsGateway(), campaignId, submission.value, origin);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    return replyDone(intent, { data: { sent: result.masked } });
  }
  if (intent === "object") {
    const submission = parseWithZod(fields, { schema: objectionSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission), hideFields: UNECHOED });
    const result = await fileObjection(db, campaignId, submission.value, () => filesOf(fields, "files", OBJECTION_MAX_FILES), origin);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    return replyDone(intent, { data: { lookup: result.lookup } });
  }
  return replyUnknownIntent();
}

export default function Notice() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="vote">
      <h1>{data.label}“台州工匠”拟命名人选公示</h1>
      <p className="lead">
        公示期：{data.campaign.start} 至 {data.campaign.end}。联系：{data.contact}
      </p>
      {data.basis ? <p className="title-basis">{data.basis}</p> : null}
      <NoticeBody state={data.state}>
        <>
          <ol className="candidate-list">
            {data.names.map((n) => (
              <li key={n.id} className="card candidate">
                <strong>{n.name}</strong>
                <small>
                  {n.employer} · {n.industry}
                </small>
                {n.deeds_summary ? <p className="small">{n.deeds_summary}</p> : null}
              </li>
            ))}
          </ol>
          <ObjectionForm
            target={{ field: "nominationId", choices: data.names.map((n) => ({ value: n.id, label: n.name })) }}
            beforeCode={(errorOf) => (
              <>
                <AltchaWidget challengeUrl={`/vote/${data.campaign.id}/challenge`} />
                <FieldError errors={errorOf("altcha")} />
              </>
            )}
          />
        </>
      </NoticeBody>
      <ObjectionLookup lookup={data.lookup} error={data.lookupError} about={(found) => found.nominee} />
    </section>
  );
}
