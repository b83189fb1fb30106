import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useState, useSyncExternalStore } from "react";
import { assertSafePost } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { FieldError, FormErrors } from "~/components/forms";
import { AltchaWidget } from "~/components/AltchaWidget";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { idParam, notFound } from "~/lib/http.server";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyDone, replyInvalid, replyRefused, replyUnknownIntent } from "~/lib/reply.server";
import { PLATFORM_CARD, shareCard, shareMeta } from "~/lib/og";
import { smsGateway } from "~/lib/sms.server";
import { insideWechat, wechatDriver } from "~/lib/wechat.server";
import { heldVoter, startWechat } from "~/modules/wechat/identity.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { PER_CANDIDATE_LABELS } from "~/modules/voting/labels";
import { windowState } from "~/modules/voting/policy";
import { formulaText } from "~/modules/nominations/policy";
import { ballotSchema, codeRequestSchema } from "~/modules/voting/schema.server";
import { castBallot, publicCandidates, requestCode, voteRulesOf } from "~/modules/voting/voting.server";

export const meta: MetaFunction<typeof loader> = ({ data, ...at }) =>
  data
    ? shareMeta(
        `${data.campaign.title} · 网络投票`,
        "为您心中的“台州工匠”投上一票。",
        shareCard("vote", data.campaign.id, `${data.campaign.title} · 网络投票`),
        at,
      )
    : shareMeta("网络投票", "为您心中的“台州工匠”投上一票。", PLATFORM_CARD, at);

async function load(params: LoaderFunctionArgs["params"]) {
  const db = getDb();
  const campaignId = idParam(params.campaignId);
  const [campaign, rules] = await Promise.all([findCampaign(db, campaignId), voteRulesOf(db, campaignId)]);
  if (!campaign || !rules) throw notFound("没有这场网络投票");
  return { db, campaign, rules };
}

/**
 * A vote that requires WeChat (issue 36): inside WeChat the voter's openid is fetched first by the silent
 * authorisation and held in their flow (never in the page); outside, the page says to open it in WeChat.
 */
async function wechatStep(db: ReturnType<typeof getDb>, request: Request, campaignId: number, state: string) {
  const driver = wechatDriver();
  if (!driver) return "unavailable" as const;
  if (!insideWechat(request)) return "outside" as const;
  if (await heldVoter(db, request, campaignId)) return "held" as const;
  // Nothing to vote on yet (or any more): the page says so, WeChat is not asked.
  if (state !== "open") return null;
  // Back from WeChat without an identity held (cookies refused, or WeChat declined): say so, do not loop.
  if (new URL(request.url).searchParams.has("wx")) return "failed" as const;
  const started = await startWechat(db, driver, "vote", { redirectTo: `/vote/${campaignId}?wx=1`, user: null, campaignId });
  if (!started.ok) return "failed" as const;
  throw redirect(started.url, { headers: { "Set-Cookie": started.cookie, "Cache-Control": "no-store" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, campaign, rules } = await load(params);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 40);
  const state = windowState(rules, campaign.status, new Date());
  const wechat = rules.wechat_required ? await wechatStep(db, request, campaign.id, state) : null;
  const candidates = await publicCandidates(db, campaign.id, q);
  return json(
    {
      campaign: { id: campaign.id, title: campaign.title, label: campaignLabel(campaign.number) },
      rules: {
        opensAt: rules.opens_at,
        closesAt: rules.closes_at,
        maxChoices: rules.max_choices,
        perCandidate: PER_CANDIDATE_LABELS[rules.per_candidate],
        formula: formulaText(rules.vote_weight),
      },
      state,
      wechat,
      candidates,
      q,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** What is never sent back: the solved challenge is spent, and the code is the phone's secret. */
const UNECHOED = ["altcha", "code"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await assertSafePost(request);
  // Only the rules (a code or a ballot reads them again, when it checks the window): a statement less per post than the page's load.
  const db = getDb();
  const campaign = { id: idParam(params.campaignId) };
  const rules = await voteRulesOf(db, campaign.id);
  if (!rules) throw notFound("没有这场网络投票");
  const form = await request.formData();
  const intent = form.get("intent");
  const origin = { address: clientAddress(request, context), userAgent: (request.headers.get("user-agent") ?? "").slice(0, 300) };
  if (intent === "code") {
    const submission = parseWithZod(form, { schema: codeRequestSchema });
    // Each field's message beside it: the first wrong field's.
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission), hideFields: UNECHOED });
    const result = await requestCode(db, smsGateway(), campaign.id, submission.value, origin);
    if (!result.ok) return replyRefused(intent, result, submission, { hideFields: UNECHOED });
    return replyDone(intent, { data: { sent: result.masked } });
  }
  if (intent === "vote") {
    const submission = parseWithZod(form, { schema: ballotSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission), hideFields: UNECHOED });
    const openid = rules.wechat_required ? await heldVoter(db, request, campaign.id) : null;
    const result = await castBallot(db, campaign.id, submission.value, { ...origin, device: submission.value.device }, new Date(), openid);
    if (!result.ok) return replyRefused(intent, result);
    return replyDone(intent, { data: { receipt: result.receipt } });
  }
  return replyUnknownIntent();
}

const WECHAT_TEXT = {
  outside: "本次投票需要在微信中进行：请在微信中打开本页面（可复制链接发送到微信，或用微信扫描投票二维码）。",
  unavailable: "本次投票需要微信身份，但微信服务暂未开通，请稍后再试。",
  failed: "未能取得您的微信身份，请关闭页面后在微信中重新打开。",
} as const;

const noSubscription = () => () => {};
const deviceSignature = () => `${screen.width}x${screen.height}|${Intl.DateTimeFormat().resolvedOptions().timeZone}|${navigator.language}`;

export default function Vote() {
  const { campaign, rules, state, wechat, candidates, q } = useLoaderData<typeof loader>();
  const code = useReply<{ sent: string }>("code");
  const ballot = useReply<{ receipt: string }>("vote");
  const reply = code ?? ballot;
  const receipt = ballot?.data?.receipt;
  const navigation = useNavigation();
  const [chosen, setChosen] = useState<number[]>([]);
  // What the phone says of its screen and clock: part of the device signature the monitor groups by.
  const device = useSyncExternalStore(noSubscription, deviceSignature, () => "");
  const busy = navigation.state !== "idle";
  // A ballot's wrong candidate is named by its place in the list (choices[2]): its message stands by the list.
  const errorOf = (field: string) => (reply?.message && (reply.field === field || reply.field?.startsWith(`${field}[`)) ? [reply.message] : undefined);

  if (receipt) {
    return (
      <section className="vote">
        <h1>投票成功</h1>
        <p className="notice success" role="status">
          感谢您的参与！您的回执码是 <strong className="receipt">{receipt}</strong>，请截图保存。
        </p>
        <p>
          凭回执码可以在 <Link to={`/vote/${campaign.id}/results?receipt=${receipt}`}>投票结果</Link> 页面核对您的选票已被计入。
        </p>
      </section>
    );
  }

  return (
    <section className="vote">
      <h1>{campaign.label}“台州工匠”网络投票</h1>
      <p className="lead">
        投票时间：{formatDateTime(rules.opensAt)} 至 {formatDateTime(rules.closesAt)}。每张选票最多选 {rules.maxChoices} 人，{rules.perCandidate}。
      </p>
      <p className="small">{rules.formula}</p>
      {state !== "open" ? (
        <p className="notice" role="status">
          {state === "before" ? "投票尚未开始。" : state === "after" ? "投票已结束。" : "目前不在投票阶段。"}
        </p>
      ) : null}
      {wechat && wechat !== "held" ? (
        <p className="notice" role="status">
          {WECHAT_TEXT[wechat]}
        </p>
      ) : null}
      <p>
        <Link to={`/vote/${campaign.id}/results`}>查看投票结果 · 核对回执</Link>
      </p>

      <Form method="get" className="search" role="search">
        <label htmlFor="q">搜索候选人</label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder="姓名、单位或行业" />
        <button type="submit" className="button">
          搜索
        </button>
      </Form>

      <Form method="post" className="ballot">
        <FormErrors errors={reply?.message && !reply.field ? [reply.message] : undefined} />
        <fieldset>
          <legend>
            选择候选人（已选 {chosen.length}/{rules.maxChoices}）
          </legend>
          {candidates.length === 0 ? <p className="empty">没有找到符合条件的候选人。</p> : null}
          <ul className="candidate-list">
            {candidates.map((c) => (
              <li key={c.id} id={`c-${c.id}`} className="card candidate">
                <label>
                  <input
                    type="checkbox"
                    name="choices"
                    value={c.id}
                    checked={chosen.includes(c.id)}
                    disabled={!chosen.includes(c.id) && chosen.length >= rules.maxChoices}
                    onChange={(e) => setChosen((now) => (e.target.checked ? [...now, c.id] : now.filter((id) => id !== c.id)))}
                  />
                  {/* Without a consented photo, the same box with the name's first character: every card lines up. */}
                  {c.has_photo ? (
                    <img src={`/showcase/photos/${c.person_id}?size=thumb`} alt="" width={64} height={64} loading="lazy" />
                  ) : (
                    <span className="photo-placeholder" aria-hidden>
                      {c.name.slice(0, 1)}
                    </span>
                  )}
                  <span>
                    <strong>
                      {c.number}号 {c.name}
                    </strong>
                    <small>
                      {c.employer} · {c.industry}
                    </small>
                  </span>
                </label>
                {c.story ? <p className="small">{c.story}</p> : null}
                <p className="small">
                  <a href={`/vote/${campaign.id}#c-${c.id}`}>分享链接</a> · <a href={`/vote/${campaign.id}/qr/${c.id}`}>二维码</a>
                </p>
              </li>
            ))}
          </ul>
          <FieldError errors={errorOf("choices")} />
        </fieldset>

        <fieldset>
          <legend>验证手机号码</legend>
          <div className="field">
            <label htmlFor="phone">手机号码</label>
            <input id="phone" name="phone" type="tel" inputMode="numeric" autoComplete="tel" maxLength={20} aria-describedby="phone-error" />
            <FieldError id="phone-error" errors={errorOf("phone")} />
          </div>
          {state === "open" ? <AltchaWidget challengeUrl={`/vote/${campaign.id}/challenge`} /> : null}
          <FieldError errors={errorOf("altcha")} />
          <button type="submit" name="intent" value="code" className="button" disabled={busy || state !== "open"}>
            获取验证码
          </button>
          {code?.data ? (
            <p className="notice success" role="status">
              验证码已发送至 {code.data.sent}，10分钟内有效。
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="code">短信验证码</label>
            <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} aria-describedby="code-error" />
            <FieldError id="code-error" errors={errorOf("code")} />
          </div>
          <input type="hidden" name="device" value={device} />
        </fieldset>
        <button
          type="submit"
          name="intent"
          value="vote"
          className="button primary"
          disabled={busy || state !== "open" || chosen.length === 0 || (wechat !== null && wechat !== "held")}
        >
          投票
        </button>
        <p className="small">
          个人信息说明：我们只保存您手机号码的加密摘要和打码号码（如 139****1234）{wechat ? "以及微信身份的加密摘要" : ""}
          ，用于核验“一人一票”；本届评选命名后即删除，选票本身保留以备核查。
        </p>
      </Form>
    </section>
  );
}
