import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";
import { FieldError } from "~/components/forms";
import { getDb } from "~/db.server";
import { shareCard, shareMeta } from "~/lib/og";
import { formatDateTime } from "~/lib/format";
import { idParam, notFound } from "~/lib/http.server";
import { checkedCode } from "~/lib/validation.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { TALLY_SHOWN_LABELS } from "~/modules/voting/labels";
import { formulaText } from "~/modules/nominations/policy";
import { receiptSchema } from "~/modules/voting/schema.server";
import { checkReceipt, publicTally } from "~/modules/voting/voting.server";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data
    ? shareMeta(
        `${data.campaign.label}“台州工匠”网络投票结果`,
        "网络投票的有效票数与作废选票，依规则公布。",
        shareCard("vote-results", data.campaign.id, `${data.campaign.label}“台州工匠”网络投票结果`),
        at,
      )
    : [{ title: "网络投票结果 · 匠心" }];

/** The public results as the rules allow now, the invalidated ballots per pattern, and a receipt check. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  const tally = campaign ? await publicTally(db, campaign.id) : null;
  if (!campaign || !tally) throw notFound("没有这场网络投票");
  const receipt = await checkedCode(request, "receipt", receiptSchema, (code) => checkReceipt(db, campaign.id, code));
  return json(
    {
      campaign: { id: campaign.id, title: campaign.title, label: campaignLabel(campaign.number) },
      shown: TALLY_SHOWN_LABELS[tally.rules.tally_shown],
      tallyHour: tally.rules.tally_hour,
      closesAt: tally.rules.closes_at,
      formula: formulaText(tally.rules.vote_weight),
      cutoff: tally.cutoff,
      rows: tally.rows,
      invalidated: tally.invalidated,
      receipt: receipt.checked,
      receiptError: receipt.error,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function VoteResults() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="vote">
      <p>
        <Link to={`/vote/${data.campaign.id}`}>← 返回投票</Link>
      </p>
      <h1>{data.campaign.label}“台州工匠”网络投票结果</h1>
      <p className="lead">
        {data.shown}
        {data.cutoff
          ? `，以下为截至 ${formatDateTime(data.cutoff)} 的有效票数。`
          : `，票数将于${data.shown === "每天定时公布票数" ? `每天 ${data.tallyHour}:00` : ` ${formatDateTime(data.closesAt)} 投票结束后`}公布。`}
      </p>
      <p className="small">{data.formula}</p>
      <DataTable
        rows={data.rows}
        columns={[
          { label: "编号", cell: (r) => `${r.number}号` },
          { label: "候选人", cell: (r) => r.name },
          { label: "工作单位", cell: (r) => r.employer },
          { label: "有效票数", num: true, cell: (r) => r.votes ?? "—" },
        ]}
      />
      <div className="card">
        <h2>作废选票</h2>
        {data.invalidated.length ? (
          <ul>
            {data.invalidated.map((i) => (
              <li key={i.pattern}>
                {i.label}：{i.ballots} 张
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">目前没有作废的选票。</p>
        )}
      </div>
      <Form method="get" className="card">
        <h2>核对回执</h2>
        <div className="field">
          <label htmlFor="receipt">回执码</label>
          <input
            id="receipt"
            name="receipt"
            defaultValue={data.receipt?.code ?? ""}
            maxLength={20}
            autoCapitalize="characters"
            aria-describedby="receipt-error"
          />
          <FieldError id="receipt-error" errors={data.receiptError ? [data.receiptError] : undefined} />
        </div>
        <button type="submit" className="button">
          核对
        </button>
        {data.receipt ? (
          <p className={data.receipt.found?.counted ? "notice success" : "notice"} role="status">
            {!data.receipt.found
              ? "没有找到这张选票，请核对回执码。"
              : data.receipt.found.counted
                ? `您于 ${formatDateTime(data.receipt.found.castAt)} 投给 ${data.receipt.found.chosen.join("、")} 的选票已计入。`
                : `您于 ${formatDateTime(data.receipt.found.castAt)} 投出的选票已作废：${data.receipt.found.reason}。`}
          </p>
        ) : null}
      </Form>
    </section>
  );
}
