import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { ChoiceFilter, FilterBar } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { FieldError } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { formatFen } from "~/lib/money";
import { replyRefused, replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { owedPage, PAYMENT_OFFICERS_ONLY, recordPayment } from "~/modules/apprentices/allowance.server";
import { PAYMENT_KIND_LABELS } from "~/modules/apprentices/assessment-labels";
import { payableFilterSchema, paymentSchema } from "~/modules/apprentices/assessment-schema.server";

export const meta: MetaFunction = () => [{ title: "带徒津贴及奖励 · 匠心" }];

const PAID_LABELS = { unpaid: "未支付", paid: "已支付" } as const;

/** What mentors are owed and were paid: the county its unit's studios, the city all, a craftsman their own (read only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "mentoring.payable");
  const filter = payableFilterSchema.parse(searchParams(request));
  const page = await owedPage(getDb(), user, filter);
  return json({
    ...page,
    filter,
    canPay: can(user, "mentoring.pay"),
    canReadPolicy: can(user, "mentoring.policy.read"),
    today: todayInTaizhou(),
    query: new URL(request.url).search,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "mentoring.payable");
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "pay":
      // A mentor reads what they are owed; recording a payment is the union's, refused before the form is read.
      if (!can(user, "mentoring.pay")) return replyRefused("pay", refuse(PAYMENT_OFFICERS_ONLY, { status: 403 }));
      return replyStep("pay", formData, paymentSchema, (payment) => recordPayment(getDb(), user, payment), { invalid: "请检查填写的内容" });
    default:
      return replyUnknownIntent();
  }
}

export default function MentorPayable() {
  const d = useLoaderData<typeof loader>();
  const reply = useReply("pay");
  return (
    <section>
      <div className="page-head">
        <h1>带徒津贴及奖励</h1>
        <div className="actions">
          {d.canReadPolicy ? (
            <Link className="button" to="/mentoring/policy">
              带徒政策
            </Link>
          ) : null}
          <DownloadLink className="button" href={`/mentoring/payable/export${d.query}`}>
            导出应付清单
          </DownloadLink>
        </div>
      </div>
      <p className="lead">每项按其年度的带徒政策计算；每项只能登记支付一次，金额以计算结果为准。</p>
      <FilterBar>
        <ChoiceFilter label="支付状态" name="paid" value={d.filter.paid} choices={PAID_LABELS} />
      </FilterBar>
      <ReplyNotice reply={reply} done="已登记支付。" />
      <DataTable
        rows={d.rows}
        empty="没有符合条件的应付项目。"
        rowKey={(r) => r.key}
        columns={[
          { label: "领衔工匠", cell: (r) => r.mentorName ?? "—" },
          { label: "工作室", cell: (r) => <Link to={`/studios/${r.studioId}`}>{r.studioName}</Link> },
          { label: "学徒", cell: (r) => <Link to={`/mentorships/${r.mentorshipId}`}>{r.apprenticeName}</Link> },
          { label: "项目", cell: (r) => PAYMENT_KIND_LABELS[r.kind] },
          { label: "计算依据", cell: (r) => r.basis },
          { label: "金额", cell: (r) => formatFen(r.paid?.amountFen ?? r.amountFen), num: true },
          {
            label: "支付",
            cell: (r) =>
              r.paid ? (
                <>
                  <span className="badge ok">已支付</span> {r.paid.paidOn} {r.paid.payer} {r.paid.reference}
                </>
              ) : d.canPay && r.amountFen > 0 ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="pay" />
                  <input type="hidden" name="key" value={r.key} />
                  <label>
                    支付日期
                    <Item r={r} />
                    <input type="date" name="paidOn" defaultValue={d.today} max={d.today} required />
                  </label>
                  <label>
                    支付单位
                    <Item r={r} />
                    <input name="payer" maxLength={100} required />
                  </label>
                  <label>
                    凭证号
                    <Item r={r} />
                    <input name="reference" maxLength={100} required />
                  </label>
                  <button type="submit" className="button">
                    登记支付
                  </button>
                  {reply?.form?.initialValue?.key === r.key
                    ? ["paidOn", "payer", "reference"].map((f) => <FieldError key={f} errors={replyErrors(reply, f)} />)
                    : null}
                </Form>
              ) : (
                <span className="badge">未支付</span>
              ),
          },
        ]}
      />
      <Pagination page={d.page} total={d.total} pageSize={d.pageSize} />
    </section>
  );
}

/** Says which item a row's payment fields are for, to a screen reader (every row has the same three fields). */
function Item({ r }: { r: { apprenticeName: string; kind: keyof typeof PAYMENT_KIND_LABELS; basis: string } }) {
  return <span className="sr-only">（{`${r.apprenticeName} ${PAYMENT_KIND_LABELS[r.kind]} ${r.basis}`}）</span>;
}
