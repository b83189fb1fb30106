import { Form, Link, useLoaderData } from "@remix-run/react";
import { IntentButton } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { ReplyProblems } from "~/components/ReplyProblems";
import type { loader } from "./route";

type HeldBack = { id: number; name: string; reasons: string[] };

/** 资格初审: the units over their quota to acknowledge, and the batch pass of the clear cases. */
export function QualificationCard() {
  const { campaign, overQuota } = useLoaderData<typeof loader>();
  const batch = useReply<{ passed: number; held: HeldBack[] }>("pass-clear")?.data;
  return (
    <div className="card">
      <h2>资格初审</h2>
      <p>
        符合全部条件、没有任何提示、所在单位未超名额的人选可一次通过；其余请在
        <Link to={`/campaigns/${campaign.id}/nominations`}>每位人选的页面</Link>上逐一审查并写明理由。
      </p>
      {overQuota.length ? (
        <>
          <h3>超出名额的单位</h3>
          <p className="hint">确认一次即对该单位的全部人选生效（每人的记录中留痕），批量通过随后照常处理该单位的人选。</p>
          <ul className="held-list">
            {overQuota.map((u) => (
              <li key={u.unitId}>
                {u.name}：推荐 {u.count} 人，名额 {campaign.quota_per_unit} 人
                {u.unacknowledged ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="acknowledge-unit-quota" />
                    <input type="hidden" name="unitId" value={u.unitId} />
                    <button type="submit" className="button">
                      确认{u.name}超出名额（{u.unacknowledged} 人）
                    </button>
                  </Form>
                ) : (
                  "，已确认"
                )}
              </li>
            ))}
          </ul>
          <ReplyProblems intent="acknowledge-unit-quota" />
        </>
      ) : null}
      <IntentButton intent="pass-clear" label="批量通过无疑问的人选" primary />
      {batch ? (
        <p className="notice success" role="status">
          已通过 {batch.passed} 人{batch.held.length ? `，${batch.held.length} 人需逐一审查：` : "。"}
        </p>
      ) : null}
      {batch?.held.length ? (
        <ul className="held-list">
          {batch.held.map((h) => (
            <li key={h.id}>
              <Link to={`/nominations/${h.id}`}>{h.name}</Link>：{h.reasons.join("；")}
            </li>
          ))}
        </ul>
      ) : null}
      <ReplyProblems intent="pass-clear" />
    </div>
  );
}
