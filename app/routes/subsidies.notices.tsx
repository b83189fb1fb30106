import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { BackLink } from "~/components/BackLink";
import { ConfirmSubmit } from "~/components/forms";
import { ReplyNotice } from "~/components/ReplyNotice";
import { TableWrap } from "~/components/TableWrap";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { formatFen } from "~/lib/money";
import { replyStep } from "~/lib/reply.server";
import { yearParam } from "~/lib/time";
import { noticesOf, publishNotice, publishPreview } from "~/modules/subsidies/notice.server";
import { publishNoticeSchema } from "~/modules/subsidies/schema.server";

export const meta: MetaFunction = () => [{ title: "学历提升补助公示 · 匠心" }];

const yearOf = (request: Request) => yearParam(new URL(request.url).searchParams.get("year"));

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "subsidy.notice");
  const year = yearOf(request);
  const db = getDb();
  const [preview, notices] = await Promise.all([publishPreview(db, year), noticesOf(db, year)]);
  return json({ year, preview, notices });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "subsidy.notice");
  const year = yearOf(request);
  return replyStep("publish", await request.formData(), publishNoticeSchema, (input) => publishNotice(getDb(), user, year, input), {
    message: "公示已发布。",
  });
}

/** The city's 公示 of a year: what publishing would list and for which days, and the 公示 so far. */
export default function SubsidyNotices() {
  const { year, preview, notices } = useLoaderData<typeof loader>();
  const published = useReply("publish");
  const { rows, period } = preview;
  return (
    <section>
      <BackLink to="/subsidies">学历提升补助</BackLink>
      <h1>{year}年学历提升补助公示</h1>
      <p className="lead">已批准的申请须在网上公示，公示期满、没有未处理或经核查属实的异议后才能拨付。公示天数在补助政策中设定。</p>
      <ReplyNotice reply={published} />
      <div className="card">
        <h2>待公示（{rows.length} 份已批准）</h2>
        {!period ? (
          <p className="notice">
            {year}年还没有补助政策，请先<Link to={`/subsidies/policy?year=${year}`}>设定政策</Link>。
          </p>
        ) : rows.length === 0 ? (
          <p className="empty">没有待公示的已批准申请。</p>
        ) : (
          <>
            <TableWrap label="待公示的申请">
              <table>
                <thead>
                  <tr>
                    <th>姓名</th>
                    <th>工作单位</th>
                    <th>学历层次</th>
                    <th>院校</th>
                    <th>批准金额</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <Link to={`/subsidies/${r.id}`}>{r.name}</Link>
                      </td>
                      <td>{r.employer}</td>
                      <td>{r.target_degree}</td>
                      <td>{r.institution}</td>
                      <td>{r.approved_fen === null ? "—" : formatFen(r.approved_fen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="publish" />
              <input type="hidden" name="expected" value={rows.length} />
              <ConfirmSubmit
                label="发布公示"
                confirm={`将在公示页面公布以上 ${rows.length} 份申请（姓名只显示姓氏），公示期 ${period.startsOn} 至 ${period.endsOn}，共 ${period.days} 天。发布后不能撤回，申请人和所属县级总工会将收到通知。`}
              />
            </Form>
          </>
        )}
      </div>
      <div className="card">
        <h2>已发布的公示</h2>
        {notices.length === 0 ? <p className="empty">本年度还没有发布公示。</p> : null}
        <ul>
          {notices.map((n) => (
            <li key={n.id}>
              <Link to={`/subsidy-notice/${n.id}`}>
                {n.starts_on} 至 {n.ends_on}
              </Link>
              ：{n.count} 份，发布于 {formatDateTime(n.published_at)}
              {n.pending ? <span className="badge bad">异议待处理 {n.pending} 件</span> : null}
              {n.upheld ? <span className="badge bad">异议属实 {n.upheld} 件</span> : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
