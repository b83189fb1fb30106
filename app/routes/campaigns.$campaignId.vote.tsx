import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { HourBars } from "~/components/charts/HourBars";
import { DataTable } from "~/components/DataTable";
import { useReply } from "~/components/useReply";
import { ConfirmSubmit, Field, Options, SaveMessage, SubmitButton } from "~/components/forms";
import { postedForm } from "~/auth/posted-form.server";
import { getDb } from "~/db.server";
import { wechatDriver } from "~/lib/wechat.server";
import { formatDateTime } from "~/lib/format";
import { parseWithZod, submissionErrors } from "~/lib/form.server";
import { CHECK_FIELDS, replyInvalid, replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { toDateTimeLocal } from "~/lib/time";
import { existingCampaign, requireCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { PER_CANDIDATE_LABELS, TALLY_SHOWN_LABELS } from "~/modules/voting/labels";
import { rulesFrozen } from "~/modules/voting/policy";
import { formulaText } from "~/modules/nominations/policy";
import { invalidateSchema, transferSchema, voteRulesSchema } from "~/modules/voting/schema.server";
import { invalidateCluster, setVoteRules, transferCounts, voteMonitor, voteRulesOf } from "~/modules/voting/voting.server";

export const meta: MetaFunction = () => [{ title: "网络投票 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await requireCampaign(request, params.campaignId, "vote.manage");
  const db = getDb();
  const rules = await voteRulesOf(db, campaign.id);
  return json({
    campaign: { id: campaign.id, title: campaign.title, label: campaignLabel(campaign.number), status: campaign.status },
    rules: rules ?? null,
    frozen: rules ? rulesFrozen(rules, new Date()) : false,
    closed: rules ? new Date() >= rules.closes_at : false,
    monitor: rules ? await voteMonitor(db, campaign.id) : null,
    // A WeChat identity can be required only when the platform has an official account configured.
    wechat: wechatDriver() !== null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, record: campaign, form, intent, db } = await postedForm(request, "vote.manage", (db) => existingCampaign(db, params.campaignId));
  switch (intent) {
    case "rules":
      return replyStep(intent, form, voteRulesSchema, (rules) => setVoteRules(db, user, campaign.id, rules), {
        invalid: CHECK_FIELDS,
        message: "投票规则已保存",
      });
    case "invalidate": {
      const submission = parseWithZod(form, { schema: invalidateSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission, { message: submissionErrors(submission)[0] });
      if (!submission.value.confirmed) return replyRefused(intent, refuse("请确认作废"), submission);
      const result = await invalidateCluster(db, user, campaign.id, submission.value);
      return replyWith(intent, result, { message: result.ok ? `已作废 ${result.invalidated} 张选票` : undefined });
    }
    case "transfer": {
      const submission = parseWithZod(form, { schema: transferSchema });
      if (submission.status !== "success" || !submission.value.confirmed) return replyRefused(intent, refuse("请确认计入"), submission);
      return replyWith(intent, await transferCounts(db, user, campaign.id), { message: "有效票数已计入评审" });
    }
    default:
      return replyUnknownIntent();
  }
}

export default function CampaignVote() {
  const { campaign, rules, frozen, closed, monitor, wechat } = useLoaderData<typeof loader>();
  const saved = useReply("rules");
  // The monitor's forms share the message at the top: a cluster's form is gone once it is invalidated.
  const said = [saved, useReply("invalidate"), useReply("transfer")].find((reply) => reply !== undefined);
  const meta = (field: string) => ({ id: field, errorId: `${field}-error`, errors: saved?.form?.error?.[field] ?? undefined });
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}/review`}>← 评审与命名</Link>
      </p>
      <h1>网络投票：{campaign.label}</h1>
      {rules ? (
        <p className="lead">
          公开投票页：<Link to={`/vote/${campaign.id}`}>/vote/{campaign.id}</Link> · <Link to={`/vote/${campaign.id}/results`}>投票结果</Link>
        </p>
      ) : (
        <p className="lead">设定规则后即生成公开投票页。投票开始后规则不能再修改。</p>
      )}
      <SaveMessage message={said?.message} saved={said?.ok} />

      {frozen && rules ? (
        <div className="card">
          <h2>投票规则（已生效）</h2>
          <p>
            {formatDateTime(rules.opens_at)} 至 {formatDateTime(rules.closes_at)}；每张选票最多 {rules.max_choices} 人；
            {PER_CANDIDATE_LABELS[rules.per_candidate]}；{TALLY_SHOWN_LABELS[rules.tally_shown]}。
            {rules.wechat_required ? "须在微信中投票（每个微信号对每位候选人同样只算一次）。" : null}
          </p>
          <p className="small">{formulaText(rules.vote_weight)}</p>
        </div>
      ) : (
        <Form method="post" className="card form-grid">
          <h2 className="span-all">投票规则</h2>
          <input type="hidden" name="intent" value="rules" />
          <Field label="开始时间" meta={meta("opensAt")}>
            <input id="opensAt" name="opensAt" type="datetime-local" defaultValue={rules ? toDateTimeLocal(rules.opens_at) : ""} required />
          </Field>
          <Field label="结束时间" meta={meta("closesAt")}>
            <input id="closesAt" name="closesAt" type="datetime-local" defaultValue={rules ? toDateTimeLocal(rules.closes_at) : ""} required />
          </Field>
          <Field label="每张选票最多可选" meta={meta("maxChoices")}>
            <input id="maxChoices" name="maxChoices" inputMode="numeric" defaultValue={rules?.max_choices ?? 10} required />
          </Field>
          <Field label="每位候选人" meta={meta("perCandidate")}>
            <select id="perCandidate" name="perCandidate" defaultValue={rules?.per_candidate ?? "once"}>
              <Options choices={PER_CANDIDATE_LABELS} />
            </select>
          </Field>
          <Field label="票数公布" meta={meta("tallyShown")}>
            <select id="tallyShown" name="tallyShown" defaultValue={rules?.tally_shown ?? "daily"}>
              <Options choices={TALLY_SHOWN_LABELS} />
            </select>
          </Field>
          <Field label="每天公布时间（时）" meta={meta("tallyHour")}>
            <input id="tallyHour" name="tallyHour" inputMode="numeric" defaultValue={rules?.tally_hour ?? 20} required />
          </Field>
          <Field label="网络投票权重（%）" meta={meta("voteWeight")}>
            <input id="voteWeight" name="voteWeight" inputMode="numeric" defaultValue={rules?.vote_weight ?? 30} required />
          </Field>
          {wechat ? (
            <Field label="微信身份" meta={meta("wechatRequired")} hint="勾选后须在微信中打开投票页，每个微信号对每位候选人同样只算一次（手机验证码照旧）">
              <label>
                <input id="wechatRequired" name="wechatRequired" type="checkbox" value="1" defaultChecked={rules?.wechat_required ?? false} />{" "}
                投票须验证微信身份
              </label>
            </Field>
          ) : null}
          <div className="span-all">
            <SubmitButton label="保存规则" />
          </div>
        </Form>
      )}

      {monitor ? (
        <>
          <h2>投票监控</h2>
          <p>
            共 {monitor.ballots} 张选票，有效 {monitor.valid} 张。
          </p>
          <div className="card">
            <h2>每小时选票</h2>
            <HourBars rows={monitor.hourly.map((h) => ({ hour: formatDateTime(h.hour).slice(5), ballots: h.ballots, valid: h.valid }))} />
          </div>
          <div className="card">
            <h2>可疑选票</h2>
            <DataTable
              rows={monitor.clusters}
              rowKey={(c) => `${c.pattern}:${c.key}`}
              empty="没有发现可疑的投票模式。"
              columns={[
                { label: "类型", cell: (c) => c.label },
                { label: "来源", cell: (c) => c.shown },
                { label: "选票", num: true, cell: (c) => c.ballots },
                { label: "仍有效", num: true, cell: (c) => c.valid },
                {
                  label: "处理",
                  cell: (c) =>
                    c.valid ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="invalidate" />
                        <input type="hidden" name="pattern" value={c.pattern} />
                        <input type="hidden" name="key" value={c.key} />
                        <label>
                          理由
                          <input name="reason" required minLength={4} maxLength={500} />
                        </label>
                        <ConfirmSubmit label="作废" confirm={`这 ${c.valid} 张选票将被作废（记录在案，不会删除），公开结果页会显示作废的数量。`} />
                      </Form>
                    ) : (
                      "已作废"
                    ),
                },
              ]}
            />
          </div>
          {closed ? (
            <Form method="post" className="card">
              <h2>计入评审</h2>
              <input type="hidden" name="intent" value="transfer" />
              <p>投票已结束。把各候选人的有效票数作为得票数计入评审排名（会替换此前导入的票数）。</p>
              <ConfirmSubmit label="计入评审" confirm="各候选人的得票数将改为平台统计的有效票数，并记入操作日志。" />
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
