import type { SerializeFrom } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { ConfirmSubmit, FieldError } from "~/components/forms";
import { ReplyNotice, replyErrors } from "~/components/ReplyNotice";
import { SchemeSelect } from "~/components/SchemeSelect";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { OTHER_SCHEME_LABELS } from "~/modules/subsidies/labels";
import type { loader } from "./route";

/** The city's lists of other schemes' subsidies: the import form, what it said, and the lists imported. */
export function SchemeListsPage({ lists, year }: SerializeFrom<typeof loader>) {
  const imported = useReply<{ problems: string[] }>("import");
  const deleted = useReply("delete");
  const busy = useNavigation().state === "submitting";
  const err = (name: string) => <FieldError errors={replyErrors(imported, name)} />;
  const skipped = imported?.ok ? (imported.data?.problems ?? []) : [];
  return (
    <section>
      <BackLink to="/subsidies">学历提升补助</BackLink>
      <h1>其他项目补助名单</h1>
      <p className="lead">
        导入全国总工会、省总工会（双提升）、工作单位等其他项目的补助名单（.xlsx），按身份证号码与申请人比对：同一学业重复享受的，审批时核减。
        名单只保存身份证号码的加密摘要和打码后的姓名。
      </p>
      <Form method="post" encType="multipart/form-data" className="card form-grid" key={lists.length}>
        <input type="hidden" name="intent" value="import" />
        <SchemeSelect errors={replyErrors(imported, "scheme")} />
        <label className="field">
          年度
          <input name="year" defaultValue={year} inputMode="numeric" required />
          {err("year")}
        </label>
        <label className="field">
          名单名称（如 2025年省总工会双提升补助名单）
          <input name="title" maxLength={100} required />
          {err("title")}
        </label>
        <label className="field">
          名单文件（.xlsx，需有“姓名”“身份证号码”“补助金额”列，可有“学历层次”“院校”列；不超过 5 MB）
          <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          {err("file")}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="goodRowsOnly" value="1" /> 有问题的行跳过，只导入无误的行（不勾选时，有任何一行有问题都不导入）
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            导入
          </button>
        </div>
      </Form>
      <ReplyNotice reply={imported} />
      {skipped.length ? (
        <div className="card">
          <h2>未导入的行</h2>
          <ul className="problems">
            {skipped.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="card">
        <h2>已导入的名单</h2>
        <DataTable
          rows={lists}
          caption="已导入的其他项目补助名单"
          empty="还没有导入名单。"
          columns={[
            { label: "项目", cell: (l) => OTHER_SCHEME_LABELS[l.scheme] },
            { label: "年度", cell: (l) => l.year },
            { label: "名单名称", cell: (l) => l.title },
            { label: "文件", cell: (l) => l.filename },
            { label: "人数", num: true, cell: (l) => l.rows },
            { label: "导入", cell: (l) => `${l.imported_by}，${formatDateTime(l.imported_at)}` },
            {
              label: "操作",
              cell: (l) => (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="listId" value={l.id} />
                  <ConfirmSubmit label="删除" confirm={`删除“${l.title}”及其 ${l.rows} 行？删除后比对不再计入该名单，可重新导入。`} />
                </Form>
              ),
            },
          ]}
        />
        <ReplyNotice reply={deleted} done="已删除该名单。" />
      </div>
    </section>
  );
}
