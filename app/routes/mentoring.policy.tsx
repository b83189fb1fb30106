import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { FieldError, SubmitButton } from "~/components/forms";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { getDb } from "~/db.server";
import { formatFen } from "~/lib/money";
import { yearQueryParam } from "~/lib/http.server";
import { replyRefused, replyStep } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { mentoringPolicySchema } from "~/modules/apprentices/assessment-schema.server";
import { mentoringPolicyFor, POLICY_CITY_ONLY, saveMentoringPolicy } from "~/modules/apprentices/policy.server";

export const meta: MetaFunction = () => [{ title: "带徒政策 · 匠心" }];

// A year that is none (?year=abc, ?year=99999) is a 404, on the page and on its save alike.
const yearOf = (request: Request) => yearQueryParam(new URL(request.url).searchParams.get("year"));

/** The year's mentoring policy: the officers read it (it prices what mentors are owed), the city sets it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "mentoring.policy.read");
  const year = yearOf(request);
  return json({ year, policy: await mentoringPolicyFor(getDb(), year), canSet: can(user, "mentoring.policy") });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "mentoring.policy.read");
  // The county reads the policy; posting to it is refused, with the reason, before the form is read.
  if (!can(user, "mentoring.policy")) return replyRefused("policy", refuse(POLICY_CITY_ONLY, { status: 403 }));
  const year = yearOf(request);
  return replyStep("policy", await request.formData(), mentoringPolicySchema, (policy) => saveMentoringPolicy(getDb(), user, year, policy), {
    invalid: "请检查填写的内容",
  });
}

const FIELDS = [
  ["reviewEveryMonths", "三方评议间隔（月）", "count"],
  ["allowancePerYearFen", "每名学徒每年带徒津贴（元）", "money"],
  ["passedPercent", "出师的发放比例（%）", "count"],
  ["extendedPercent", "延期的发放比例（%）", "count"],
  ["terminatedPercent", "终止的发放比例（%）", "count"],
  ["technicianRewardFen", "每培养一名技师（含高级技师）奖励（元）", "money"],
  ["placingRewardFen", "学徒每获一项竞赛名次奖励（元）", "money"],
] as const;

export default function MentoringPolicy() {
  const { year, policy, canSet } = useLoaderData<typeof loader>();
  const reply = useReply("policy");
  return (
    <section>
      <div className="page-head">
        <h1>{year}年带徒政策</h1>
        <div className="actions">
          <Link className="button" to={`?year=${year - 1}`}>
            {year - 1}年
          </Link>
          <Link className="button" to={`?year=${year + 1}`}>
            {year + 1}年
          </Link>
          <Link className="button" to="/mentoring/payable">
            带徒津贴应付清单
          </Link>
        </div>
      </div>
      <p className="lead">
        {policy.saved ? "本年度政策由市总工会设定。" : "市总工会尚未设定本年度政策，按默认标准执行。"}
        带徒津贴 = 每年津贴 × 带徒年数（自结对或上次延期起，不足一年按一年计）× 考核结论的发放比例；按考核所在年度的政策计算，奖励按成果所在年度。
      </p>
      {canSet ? (
        <Form method="post" className="card form-grid">
          <input type="hidden" name="intent" value="policy" />
          {FIELDS.map(([name, label, kind]) => (
            <label key={name} className="field">
              {label}
              <input
                name={name}
                defaultValue={kind === "money" ? (policy[name] / 100).toFixed(2) : policy[name]}
                inputMode={kind === "money" ? "decimal" : "numeric"}
                required
              />
              <FieldError errors={replyErrors(reply, name)} />
            </label>
          ))}
          <ReplyNotice reply={reply} done="已保存。" className="span-all" />
          <SubmitButton label="保存政策" />
        </Form>
      ) : (
        <dl className="facts card">
          {FIELDS.map(([name, label, kind]) => (
            <div key={name}>
              <dt>{label.replace("（元）", "")}</dt>
              <dd>{kind === "money" ? formatFen(policy[name]) : policy[name]}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
