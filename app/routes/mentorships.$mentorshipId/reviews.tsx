import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { FieldError, SubmitButton } from "~/components/forms";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { REVIEW_OPENS_DAYS_BEFORE, REVIEW_PARTIES, REVIEW_PARTY_LABELS } from "~/modules/apprentices/reviews";
import type { loader } from "./route";

type Reviews = NonNullable<SerializeFrom<typeof loader>["reviews"]>;

/**
 * 师徒三方评议: each review due and the next, each party's view and signature, and the form for the
 * viewer's own party. Ratings are never shown here: they are private, seen only as a studio's
 * average by the county and the city.
 */
export function MentorshipReviews({ reviews }: { reviews: Reviews }) {
  const signed = useReply("reviewSign");
  const sentFor = signed?.form?.initialValue?.period;
  return (
    <div className="card">
      <h2>师徒三方评议</h2>
      <p className="small">
        师傅、学徒和企业（或县级总工会）按期各自填写评议意见并签署；到期前{REVIEW_OPENS_DAYS_BEFORE}
        天起可以签署。满意度评分仅县级和市总工会可见（按工作室汇总）。
      </p>
      {reviews.rows.length === 0 ? <p className="empty">结对期内没有安排评议。</p> : null}
      <ul className="reviews">
        {reviews.rows.map((r) => (
          <li key={r.period}>
            <p>
              <strong>第{r.period}期</strong> 应于 <time>{r.dueOn}</time> 前签署{" "}
              {r.overdue ? (
                <span className="badge bad">已逾期</span>
              ) : REVIEW_PARTIES.every((p) => r.signed[p]) ? (
                <span className="badge ok">已完成</span>
              ) : null}
            </p>
            <dl className="facts">
              {REVIEW_PARTIES.map((p) => {
                const s = r.signed[p];
                return [
                  <dt key={`${p}-t`}>{REVIEW_PARTY_LABELS[p]}</dt>,
                  <dd key={`${p}-d`}>
                    {s ? (
                      <>
                        <span className="pre">{s.view}</span>
                        <span className="small">
                          （{s.signer}签署于{formatDateTime(s.signedAt)}）
                        </span>
                      </>
                    ) : (
                      <span className="badge warn">未签署</span>
                    )}
                  </dd>,
                ];
              })}
            </dl>
            {r.canSign ? (
              <Form method="post" className="form-grid">
                <input type="hidden" name="intent" value="reviewSign" />
                <input type="hidden" name="period" value={r.period} />
                <label className="field span-all">
                  第{r.period}期{REVIEW_PARTY_LABELS[reviews.party]}评议意见（不超过1000字）
                  <textarea name="view" maxLength={1000} required />
                  <FieldError errors={String(sentFor) === String(r.period) ? replyErrors(signed, "view") : undefined} />
                </label>
                <label className="field">
                  第{r.period}期满意度评分（选填，仅县级和市总工会可见）
                  <select name="rating" defaultValue="">
                    <option value="">不评分</option>
                    {[5, 4, 3, 2, 1].map((n) => (
                      <option key={n} value={n}>
                        {n}分
                      </option>
                    ))}
                  </select>
                  <FieldError errors={String(sentFor) === String(r.period) ? replyErrors(signed, "rating") : undefined} />
                </label>
                <SubmitButton label="签署评议" busyLabel="正在签署…" />
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      <ReplyNotice reply={signed} done="已签署评议。" />
    </div>
  );
}
