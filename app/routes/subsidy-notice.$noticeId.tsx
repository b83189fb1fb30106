import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { assertSafePost } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { NoticeBody, ObjectionForm, ObjectionLookup } from "~/components/ObjectionForm";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { formatFen } from "~/lib/money";
import { PLATFORM_CARD, shareCard, shareMeta } from "~/lib/og";
import { replyRefused, replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { smsGateway } from "~/lib/sms.server";
import { filesOf, readForm } from "~/lib/upload.server";
import { checkedCode } from "~/lib/validation.server";
import { fileSubsidyObjection, noticeBoard, requestSubsidyObjectionCode, subsidyObjectionOutcome } from "~/modules/subsidies/notice.server";
import { objectionCodeSchema, subsidyObjectionSchema } from "~/modules/subsidies/schema.server";
import { OBJECTION_MAX_FILES } from "~/modules/voting/notice.server";
import { lookupSchema } from "~/modules/voting/schema.server";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data
    ? shareMeta(
        `${data.notice.year}年“台州工匠”学历提升补助公示`,
        "公示期内，对公示对象有异议的，可实名反映。",
        shareCard("subsidy-notice", data.notice.id, `${data.notice.year}年“台州工匠”学历提升补助公示`),
        at,
      )
    : shareMeta("学历提升补助公示", "公示期内，对公示对象有异议的，可实名反映。", PLATFORM_CARD, at);

/** A 公示 of approved subsidies, in public: the list while it is open, the objection form, the lookup of an outcome. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const board = await noticeBoard(db, idParam(params.noticeId));
  if (!board) throw notFound("没有这次公示");
  const lookup = await checkedCode(request, "lookup", lookupSchema, (code) => subsidyObjectionOutcome(db, board.notice.id, code));
  return json(
    { notice: board.notice, state: board.state, contact: board.contact, rows: board.rows, lookup: lookup.checked, lookupError: lookup.error },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** What is never sent back: the code is the phone's secret, the ID number the objector's. */
const UNECHOED = ["code", "idNumber"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  const db = getDb();
  const noticeId = idParam(params.noticeId);
  const origin = { address: clientAddress(request, context) };
  const form = await readForm(request, origin.address);
  if (!form.ok) return replyRefused("object", refuse(form.message, { field: "files" }));
  const fields = form.formData;
  switch (fields.get("intent")) {
    case "code":
      return replyStep("code", fields, objectionCodeSchema, (value) => requestSubsidyObjectionCode(db, smsGateway(), noticeId, value, origin), {
        hideFields: UNECHOED,
        data: (done) => ({ sent: done.masked }),
      });
    case "object":
      return replyStep(
        "object",
        fields,
        subsidyObjectionSchema,
        (value) => fileSubsidyObjection(db, noticeId, value, () => filesOf(fields, "files", OBJECTION_MAX_FILES), origin),
        { hideFields: UNECHOED, data: (done) => ({ lookup: done.lookup }) },
      );
    default:
      return replyUnknownIntent();
  }
}

export default function SubsidyNotice() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="vote">
      <p>
        <Link to="/subsidy-notice">全部补助公示</Link>
      </p>
      <h1>{data.notice.year}年“台州工匠”学历提升补助公示</h1>
      <p className="lead">
        公示期：{data.notice.starts_on} 至 {data.notice.ends_on}。公示期内对公示对象有异议的，可实名反映。联系：{data.contact}
      </p>
      <NoticeBody state={data.state}>
        <>
          <ol className="candidate-list">
            {data.rows.map((r) => (
              <li key={r.id} className="card candidate">
                <strong>{r.name}</strong>
                <small>{r.employer}</small>
                <p className="small">
                  {r.degree} · {r.institution} · 补助 {r.amountFen === null ? "—" : formatFen(r.amountFen)}
                </p>
              </li>
            ))}
          </ol>
          <ObjectionForm target={{ field: "applicationId", choices: data.rows.map((r) => ({ value: r.id, label: `${r.name}（${r.employer}）` })) }} />
        </>
      </NoticeBody>
      <ObjectionLookup lookup={data.lookup} error={data.lookupError} about={(found) => `${found.applicant}的补助`} />
    </section>
  );
}
