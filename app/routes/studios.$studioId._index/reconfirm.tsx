import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { FieldError } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import type { loader } from "./route";

type Page = SerializeFrom<typeof loader>;

/** 重新确认: each period's years and advice, and the city's form to decide the ones not yet decided. */
export function ReconfirmCard({ reconfirmations, canReconfirm }: Pick<Page, "reconfirmations" | "canReconfirm">) {
  const reconfirmed = useReply("reconfirm");
  return (
    <div className="card" id="reconfirm">
      <h2>重新确认</h2>
      {reconfirmations.map((p) => (
        <div key={p.to}>
          <p>
            {p.from}–{p.to}年：{p.years.map((y) => `${y.year}年${y.grade ? GRADE_LABELS[y.grade] : "未考核"}`).join("，")}。
            {p.decision
              ? p.decision.outcome === "reconfirmed"
                ? " 已重新确认。"
                : ` 未获重新确认：${p.decision.comment ?? ""}`
              : p.advice === "reconfirm"
                ? " 建议重新确认。"
                : p.advice === "decline"
                  ? " 周期内有不合格年度，建议不予重新确认。"
                  : " 周期内尚有年度未考核。"}
          </p>
          {canReconfirm && !p.decision ? (
            <Form method="post" className="form-grid">
              <input type="hidden" name="intent" value="reconfirm" />
              <input type="hidden" name="periodEnd" value={p.to} />
              <label className="field">
                结论
                <select name="outcome" defaultValue={p.advice === "decline" ? "declined" : "reconfirmed"}>
                  <option value="reconfirmed">重新确认</option>
                  <option value="declined">不予重新确认（进入摘牌审查）</option>
                </select>
              </label>
              <label className="field">
                重新确认资助（元，可空）
                <input name="grantAmount" inputMode="decimal" />
              </label>
              <label className="field">
                资助文件文号
                <input name="grantDocument" maxLength={60} />
              </label>
              <label className="field">
                意见
                <input name="comment" maxLength={500} />
              </label>
              <button type="submit" className="button primary">
                保存{p.from}–{p.to}年重新确认结论
              </button>
              {reconfirmed?.message && !reconfirmed.ok ? <FieldError errors={[reconfirmed.message]} /> : null}
            </Form>
          ) : null}
        </div>
      ))}
    </div>
  );
}
