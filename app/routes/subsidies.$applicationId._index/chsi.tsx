import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { FieldError, SubmitButton } from "~/components/forms";
import { LabelledField, LabelledSelect, ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { CHSI_KIND_LABELS, CHSI_OUTCOME_LABELS, CHSI_STAGE_LABELS } from "~/modules/subsidies/chsi";
import type { loader } from "./route";

type Chsi = SerializeFrom<typeof loader>["chsi"];

const yesNo = (value: boolean | null) => (value ? "一致" : "不一致");

/**
 * 学信网 verification on an application's page: the codes the applicant entered with the official page for
 * each, what the officers recorded of them, the applicant's form for a code and the reviewer's for what they saw.
 */
export function ChsiCard({ chsi }: { chsi: Chsi }) {
  const entered = useReply("chsi-report");
  const checked = useReply("chsi-check");
  const { reports, entry, check, lapse } = chsi;
  const enteredErrors = (field: string) => replyErrors(entered, field);
  const checkedErrors = (field: string) => replyErrors(checked, field);
  return (
    <div className="card">
      <h2>学信网验证</h2>
      <p className="small">
        申请人在学信网“学信档案 →
        在线验证报告”生成报告，在这里填写报告上的在线验证码；审核人员打开链接，在学信网官方页面查看报告并记录所见。本平台不读取学信网的页面。
      </p>
      {lapse ? (
        <p className="notice" role="status">
          {lapse.lapse === "lapsed"
            ? `学信网验证码已于 ${lapse.validUntil} 过期，学信网上已无法查看该报告。`
            : `学信网验证码将于 ${lapse.validUntil} 过期，审核结束前可能失效。`}
          {lapse.owner && entry ? `请在学信网重新生成报告（有效期选${entry.askedMonths}个月），并在下面填写新的验证码。` : "申请人需重新生成并填写。"}
        </p>
      ) : null}
      {reports.length === 0 ? <p className="empty">尚未填写学信网验证码。</p> : null}
      {reports.map((r) => (
        <dl key={r.id} className="facts">
          <dt>报告</dt>
          <dd>
            {CHSI_KIND_LABELS[r.kind]}（{CHSI_STAGE_LABELS[r.stage]}）{r.replaced ? <span className="badge">已更换</span> : null}
          </dd>
          <dt>在线验证码</dt>
          <dd>
            <code>{r.code}</code>{" "}
            <a href={r.url} target="_blank" rel="noopener noreferrer">
              在学信网查看报告（新窗口）
            </a>
          </dd>
          <dt>有效期至</dt>
          <dd>{r.valid_until}</dd>
          <dt>核验结果</dt>
          <dd>
            {r.outcome ? (
              <>
                <span className={r.outcome === "matches" ? "badge ok" : "badge bad"}>{CHSI_OUTCOME_LABELS[r.outcome]}</span>（{r.checker_name}
                记录于 {formatDateTime(r.checked_at)}）
              </>
            ) : (
              <span className="badge warn">待核验</span>
            )}
          </dd>
          {r.outcome ? (
            <>
              <dt>姓名</dt>
              <dd>{yesNo(r.name_matches)}</dd>
              <dt>身份证号后几位</dt>
              <dd>{yesNo(r.id_digits_match)}</dd>
              {r.school ? (
                <>
                  <dt>学校、层次</dt>
                  <dd>{[r.school, r.level].filter(Boolean).join("，")}</dd>
                </>
              ) : null}
              {r.record_status ? (
                <>
                  <dt>学籍状态</dt>
                  <dd>{r.record_status}</dd>
                </>
              ) : null}
              {r.graduated_on ? (
                <>
                  <dt>毕业日期</dt>
                  <dd>{r.graduated_on}</dd>
                </>
              ) : null}
              {r.check_note ? (
                <>
                  <dt>说明</dt>
                  <dd className="pre">{r.check_note}</dd>
                </>
              ) : null}
            </>
          ) : null}
        </dl>
      ))}

      {entry ? (
        <Form method="post" className="form-grid" key={reports.length}>
          <input type="hidden" name="intent" value="chsi-report" />
          <h3 className="span-all">{entry.stage === "enrolment" ? "填写学籍在线验证报告的验证码" : "填写毕业的学历在线验证报告或备案表的验证码"}</h3>
          <LabelledField label="在线验证码（12–16位字母或数字）" errors={enteredErrors("code")}>
            <input name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={64} required />
          </LabelledField>
          <LabelledSelect
            label="报告类型"
            name="kind"
            errors={enteredErrors("kind")}
            choices={entry.kinds.map((k) => ({ value: k, label: CHSI_KIND_LABELS[k] }))}
          />
          <LabelledField label={`报告有效期至（生成报告时选择，请选${entry.askedMonths}个月）`} errors={enteredErrors("validUntil")}>
            <input type="date" name="validUntil" min={entry.earliest} max={entry.latest} required />
          </LabelledField>
          <SubmitButton label="保存验证码" busyLabel="正在保存…" />
        </Form>
      ) : null}
      <ReplyNotice reply={entered} done="已保存学信网验证码。" />

      {check ? (
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="chsi-check" />
          <input type="hidden" name="reportId" value={check.reportId} />
          <h3 className="span-all">记录在学信网看到的信息</h3>
          <p className="span-all small">
            申请人 {check.name}，身份证号后4位 {check.idTail}；申请填写的院校为{check.institution}，报读{check.degree}。请打开上面的链接，对照报告填写。
          </p>
          <div className="span-all">
            <label className="checkbox">
              <input type="checkbox" name="nameMatches" /> 报告上的姓名与申请人一致
            </label>
            <FieldError errors={checkedErrors("nameMatches")} />
          </div>
          <div className="span-all">
            <label className="checkbox">
              <input type="checkbox" name="idDigitsMatch" /> 报告上的身份证号后4位与申请人一致
            </label>
            <FieldError errors={checkedErrors("idDigitsMatch")} />
          </div>
          <LabelledField label="学校" errors={checkedErrors("school")}>
            <input name="school" maxLength={100} />
          </LabelledField>
          <LabelledField label="层次" errors={checkedErrors("level")}>
            <input name="level" maxLength={40} placeholder="如：本科、专科" />
          </LabelledField>
          {check.stage === "enrolment" ? (
            <LabelledField label="学籍状态" errors={checkedErrors("recordStatus")}>
              <input name="recordStatus" maxLength={40} placeholder="如：在籍（注册学籍）" />
            </LabelledField>
          ) : (
            <LabelledField label="毕业日期" errors={checkedErrors("graduatedOn")}>
              <input type="date" name="graduatedOn" max={chsi.today} />
            </LabelledField>
          )}
          <LabelledSelect label="核验结论" name="outcome" blank="请选择" required errors={checkedErrors("outcome")} choices={CHSI_OUTCOME_LABELS} />
          <LabelledField label="说明（不一致时必填）" errors={checkedErrors("note")}>
            <input name="note" maxLength={500} />
          </LabelledField>
          <SubmitButton label="记录核验结果" busyLabel="正在记录…" />
        </Form>
      ) : null}
      {/* Outside the form: once recorded, the form is gone, its reply is not. */}
      <ReplyNotice reply={checked} done="已记录学信网核验结果。" />
    </div>
  );
}
