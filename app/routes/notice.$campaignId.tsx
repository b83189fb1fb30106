import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { assertSafePost } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { AltchaWidget } from "~/components/AltchaWidget";
import { useReply } from "~/components/useReply";
import { FieldError, FormErrors, Options } from "~/components/forms";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { idParam, notFound } from "~/lib/http.server";
import { parseWithZod } from "~/lib/form.server";
import { checkedCode } from "~/lib/validation.server";
import { firstError, replyDone, replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { shareMeta } from "~/lib/og";
import { smsGateway } from "~/lib/sms.server";
import { filesOf, readForm } from "~/lib/upload.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { RELATIONS } from "~/modules/voting/labels";
import { fileObjection, noticeBoard, OBJECTION_MAX_FILES, objectionOutcome, requestObjectionCode } from "~/modules/voting/notice.server";
import { codeRequestSchema, lookupSchema, objectionSchema } from "~/modules/voting/schema.server";
import { UploadInput } from "~/components/UploadInput";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  shareMeta(data ? `${data.label}“台州工匠”拟命名人选公示` : "社会公示", "公示期内，对公示对象有异议的，可实名反映。", at);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const board = await noticeBoard(db, idParam(params.campaignId));
  if (!board || board.state === "not_stage") throw notFound("没有这次公示");
  const lookup = await checkedCode(request, "lookup", lookupSchema, (code) => objectionOutcome(db, board.campaign.id, code));
  return json(
    {
      campaign: { id: board.campaign.id, title: board.campaign.title, start: board.campaign.notice_start, end: board.campaign.notice_end },
      label: campaignLabel(board.campaign.number),
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
  const code = useReply<{ sent: string }>("code");
  const filed = useReply<{ lookup: string }>("object");
  const answer = code ?? filed;
  const busy = useNavigation().state !== "idle";
  const errorOf = (field: string) => (answer?.field === field && answer.message ? [answer.message] : undefined);
  return (
    <section className="vote">
      <h1>{data.label}“台州工匠”拟命名人选公示</h1>
      <p className="lead">
        公示期：{data.campaign.start} 至 {data.campaign.end}。联系：{data.contact}
      </p>
      {data.state === "after" ? (
        <p className="notice" role="status">
          本次公示已结束。
        </p>
      ) : data.state === "before" ? (
        <p className="notice" role="status">
          公示尚未开始。
        </p>
      ) : (
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
          {filed?.data ? (
            <p className="notice success" role="status">
              您的异议已提交。查询码 <strong className="receipt">{filed.data.lookup}</strong>，请妥善保存，可凭此码在本页查询处理结果。
            </p>
          ) : (
            <Form method="post" encType="multipart/form-data" className="card form-grid">
              <h2 className="span-all">实名反映异议</h2>
              <p className="span-all small">
                请如实填写。匿名或查无实据的反映不予受理。您的姓名、身份证号码和电话加密保存，只供市总工会核实、联系您时查看，不会公开，也不会告知被异议人所在单位。
              </p>
              <FormErrors errors={answer?.message && !answer.field ? [answer.message] : undefined} />
              <div className="field">
                <label htmlFor="nominationId">异议对象</label>
                <select id="nominationId" name="nominationId" aria-describedby="nominationId-error">
                  <option value="">请选择</option>
                  <Options choices={data.names.map((n) => ({ value: n.id, label: n.name }))} />
                </select>
                <FieldError id="nominationId-error" errors={errorOf("nominationId")} />
              </div>
              <div className="field">
                <label htmlFor="name">您的姓名</label>
                <input id="name" name="name" autoComplete="name" maxLength={20} aria-describedby="name-error" />
                <FieldError id="name-error" errors={errorOf("name")} />
              </div>
              <div className="field">
                <label htmlFor="idNumber">您的身份证号码</label>
                <input id="idNumber" name="idNumber" autoComplete="off" maxLength={30} aria-describedby="idNumber-error" />
                <FieldError id="idNumber-error" errors={errorOf("idNumber")} />
              </div>
              <div className="field">
                <label htmlFor="relation">与被异议人的关系</label>
                <select id="relation" name="relation" aria-describedby="relation-error">
                  <Options choices={RELATIONS} />
                </select>
                <FieldError id="relation-error" errors={errorOf("relation")} />
              </div>
              <div className="field span-all">
                <label htmlFor="content">异议内容</label>
                <textarea id="content" name="content" rows={5} maxLength={2000} aria-describedby="content-error" />
                <FieldError id="content-error" errors={errorOf("content")} />
              </div>
              <div className="field span-all">
                <label htmlFor="files">证明材料（PDF、JPEG 或 PNG，最多3个，每个不超过5 MB，可选）</label>
                <UploadInput id="files" name="files" multiple accept="application/pdf,image/jpeg,image/png" aria-describedby="files-error" />
                <FieldError id="files-error" errors={errorOf("files")} />
              </div>
              <div className="field">
                <label htmlFor="phone">手机号码</label>
                <input id="phone" name="phone" type="tel" inputMode="numeric" autoComplete="tel" maxLength={20} aria-describedby="phone-error" />
                <FieldError id="phone-error" errors={errorOf("phone")} />
              </div>
              <AltchaWidget challengeUrl={`/vote/${data.campaign.id}/challenge`} />
              <FieldError errors={errorOf("altcha")} />
              <div className="field">
                <button type="submit" name="intent" value="code" className="button" disabled={busy}>
                  获取验证码
                </button>
                {code?.data ? (
                  <p className="small" role="status">
                    验证码已发送至 {code.data.sent}。
                  </p>
                ) : null}
              </div>
              <div className="field">
                <label htmlFor="code">短信验证码</label>
                <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} aria-describedby="code-error" />
                <FieldError id="code-error" errors={errorOf("code")} />
              </div>
              <div className="span-all">
                <button type="submit" name="intent" value="object" className="button primary" disabled={busy}>
                  提交异议
                </button>
              </div>
            </Form>
          )}
        </>
      )}
      <Form method="get" className="card">
        <h2>查询异议处理结果</h2>
        <div className="field">
          <label htmlFor="lookup">查询码</label>
          <input id="lookup" name="lookup" defaultValue={data.lookup?.code ?? ""} maxLength={20} aria-describedby="lookup-error" />
          <FieldError id="lookup-error" errors={data.lookupError ? [data.lookupError] : undefined} />
        </div>
        <button type="submit" className="button">
          查询
        </button>
        {data.lookup ? (
          <p className="notice" role="status">
            {data.lookup.found
              ? `您于 ${formatDateTime(data.lookup.found.filedAt)} 对 ${data.lookup.found.nominee} 提出的异议：${data.lookup.found.outcome}${data.lookup.found.handling ? `（${data.lookup.found.handling}）` : ""}。`
              : "没有找到这条异议，请核对查询码。"}
          </p>
        ) : null}
      </Form>
    </section>
  );
}
