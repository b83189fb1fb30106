import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { replyStep } from "~/lib/reply.server";
import { policyFormSchema } from "./forms.server";
import { requirePermission } from "~/auth/session.server";
import { FieldError, SubmitButton } from "~/components/forms";
import { getDb } from "~/db.server";
import { budgetStatus, findPolicy, savePolicy } from "~/modules/subsidies/subsidies.server";
import { placeCounts } from "~/modules/subsidies/places.server";
import { yearParam } from "~/lib/time";
import { BackLink } from "~/components/BackLink";
import { TARGET_DEGREES } from "~/modules/subsidies/labels";

export const meta: MetaFunction = () => [{ title: "学历提升补助政策 · 匠心" }];

function yearOf(request: Request): number {
  return yearParam(new URL(request.url).searchParams.get("year"));
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "subsidy.policy");
  const year = yearOf(request);
  const db = getDb();
  const [policy, budget, places] = await Promise.all([findPolicy(db, year), budgetStatus(db, year), placeCounts(db, year)]);
  return json({ year, policy, budget, places });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "subsidy.policy");
  const year = yearOf(request);
  return replyStep(
    "policy",
    await request.formData(),
    policyFormSchema,
    // A refusal keeps its field: 名额 below the places given stands by the 名额 field.
    (policy) => savePolicy(getDb(), user, year, policy),
    { invalid: "请检查填写的内容" },
  );
}

export default function SubsidyPolicy() {
  const { year, policy, budget, places } = useLoaderData<typeof loader>();
  const reply = useReply("policy");
  const err = (name: string) => <FieldError errors={replyErrors(reply, name)} />;
  const yuan = (fen: number | undefined) => (fen === undefined ? "" : (fen / 100).toFixed(2));
  return (
    <section>
      <BackLink to="/subsidies">学历提升补助</BackLink>
      <h1>{year}年学历提升补助政策</h1>
      <p className="lead">
        已批准 {(budget.committed / 100).toFixed(2)} 元，已拨付 {(budget.paid / 100).toFixed(2)} 元。预算不能低于已批准的金额。
      </p>
      <ReplyNotice reply={reply} done="已保存。" />
      <Form method="post" className="card form-grid">
        <input type="hidden" name="intent" value="policy" />
        <label className="field">
          年度预算（元）
          <input name="budget" defaultValue={yuan(policy?.budget_fen)} inputMode="decimal" required />
          {err("budget")}
        </label>
        <label className="field">
          补助比例（占学费的 %）
          <input name="sharePercent" defaultValue={policy?.share_percent ?? 50} inputMode="numeric" required />
          {err("sharePercent")}
        </label>
        <label className="field">
          各项目合计上限（占学费的 %，本补助与全总、省总、工作单位等其他补助之和）
          <input name="combinedCapPercent" defaultValue={policy?.combined_cap_percent ?? 100} inputMode="numeric" required />
          {err("combinedCapPercent")}
        </label>
        <label className="field">
          毕业前预留比例（%）
          <input name="holdbackPercent" defaultValue={policy?.holdback_percent ?? 0} inputMode="numeric" required />
          {err("holdbackPercent")}
        </label>
        <label className="field">
          获评后几年内可申请
          <input name="yearsAfterAward" defaultValue={policy?.years_after_award ?? 5} inputMode="numeric" required />
          {err("yearsAfterAward")}
        </label>
        <label className="field">
          批准后网上公示天数
          <input name="noticeDays" defaultValue={policy?.notice_days ?? 7} inputMode="numeric" required />
          {err("noticeDays")}
        </label>
        {TARGET_DEGREES.map((d) => (
          <label key={d} className="field">
            {d}补助上限（元，空为不补助）
            <input name={`cap-${d}`} defaultValue={yuan(policy?.caps[d])} inputMode="decimal" />
            {err(`cap-${d}`)}
          </label>
        ))}
        <label className="field">
          名额（空为不限）
          <input name="places" defaultValue={policy?.places ?? ""} inputMode="numeric" aria-describedby="places-given" />
          <span className="hint" id="places-given">
            已给出 {places.placed} 个，候补 {places.waiting} 人。名额按提交时间先后给出，不能少于已给出的；增加后候补按顺序递补。
          </span>
          {err("places")}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="open" value="on" defaultChecked={policy?.open ?? true} /> 开放申请
        </label>
        <SubmitButton label="保存政策" />
      </Form>
    </section>
  );
}
