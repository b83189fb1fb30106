import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit, FieldError, Options } from "~/components/forms";
import { HistoryCard } from "~/components/HistoryCard";
import { HonourList } from "~/components/HonourList";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { HONOUR_KIND_LABELS, HONOUR_LEVEL_LABELS } from "~/modules/honours/labels";
import type { loader } from "./route";

/** An officer's page of one person's honours: enter one, record a revocation, withdraw a mistaken entry. */
export function HonoursPage({ person, honours, withdrawn, history, year }: SerializeFrom<typeof loader>) {
  const added = useReply("add");
  const revoked = useReply("revoke");
  const withdrew = useReply("withdraw");
  const err = (name: string) => <FieldError errors={replyErrors(added, name)} />;
  return (
    <section>
      <BackLink to={`/people/${person.id}`}>{person.name}</BackLink>
      <div className="page-head">
        <h1>{person.name}的荣誉</h1>
        <div className="actions">
          <Link className="button" to="/honours/import">
            导入荣誉名单
          </Link>
        </div>
      </div>
      <ReplyNotice reply={revoked} />
      <ReplyNotice reply={withdrew} />
      <div className="card">
        <HonourList
          honours={honours}
          action={(h) =>
            h.id === null ? (
              <span className="hint">平台评选命名，在评选活动中办理</span>
            ) : (
              <>
                {h.status === "kept" ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="honourId" value={h.id} />
                    <label>
                      撤销日期
                      <input type="date" name="revokedOn" required />
                    </label>
                    <label>
                      撤销说明
                      <input name="note" required maxLength={500} placeholder="如：省总工会文件撤销该称号" />
                    </label>
                    <ConfirmSubmit label="登记撤销" confirm={`将“${h.title}”登记为撤销？登记后不能改回保持。`} />
                  </Form>
                ) : null}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="withdraw" />
                  <input type="hidden" name="honourId" value={h.id} />
                  <label>
                    撤回原因
                    <input name="reason" required maxLength={500} placeholder="如：录入有误" />
                  </label>
                  <ConfirmSubmit label="撤回误录" confirm={`撤回“${h.title}”这条录入？它将不再显示为荣誉，变更记录中保留。`} />
                </Form>
              </>
            )
          }
        />
      </div>
      <Form method="post" className="card form-grid" key={added?.ok ? "done" : "form"}>
        <h2 className="span-all">登记荣誉</h2>
        <input type="hidden" name="intent" value="add" />
        <label className="field">
          级别
          <select name="level" required defaultValue="">
            <option value="" disabled>
              请选择
            </option>
            <Options choices={HONOUR_LEVEL_LABELS} />
          </select>
          {err("level")}
        </label>
        <label className="field">
          类别
          <select name="kind" required defaultValue="">
            <option value="" disabled>
              请选择
            </option>
            <Options choices={HONOUR_KIND_LABELS} />
          </select>
          {err("kind")}
        </label>
        <label className="field">
          荣誉名称（如 浙江工匠、全国五一劳动奖章；类别为其他时写明名称）
          <input name="title" required maxLength={100} />
          {err("title")}
        </label>
        <label className="field">
          授予单位
          <input name="conferredBy" required maxLength={100} placeholder="如：浙江省总工会" />
          {err("conferredBy")}
        </label>
        <label className="field">
          年份
          <input name="year" required inputMode="numeric" placeholder={String(year)} />
          {err("year")}
        </label>
        <label className="field">
          授予日期（可选）
          <input type="date" name="conferredOn" />
          {err("conferredOn")}
        </label>
        <div className="form-actions span-all">
          <button type="submit" className="button primary">
            登记
          </button>
        </div>
      </Form>
      <ReplyNotice reply={added} />
      {withdrawn.length ? (
        <div className="card">
          <h2>已撤回的录入</h2>
          <DataTable
            rows={withdrawn}
            rowKey={(h, i) => h.id ?? i}
            compact
            columns={[
              { label: "荣誉名称", cell: (h) => `${h.title}（${h.year}）` },
              { label: "来源", cell: (h) => h.source },
              { label: "撤回", cell: (h) => `${formatDateTime(h.withdrawnAt)}：${h.withdrawnReason}` },
            ]}
          />
        </div>
      ) : null}
      <HistoryCard history={history} />
    </section>
  );
}
