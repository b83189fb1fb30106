import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { listUsers } from "~/modules/users/users.server";
import { ChoiceFilter, FilterBar, InputFilter } from "~/components/ChoiceFilter";
import { DataTable } from "~/components/DataTable";
import { userFilterSchema } from "~/modules/users/schema.server";

export const meta: MetaFunction = () => [{ title: "用户管理 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user.manage");
  const filter = userFilterSchema.parse(searchParams(request));
  return json({ ...(await listUsers(getDb(), filter)), filter });
}

export default function Users() {
  const { rows, total, page, pageSize, filter } = useLoaderData<typeof loader>();
  return (
    <section>
      <div className="page-head">
        <h1>用户管理</h1>
        <Link className="button primary" to="/users/new">
          开通账号
        </Link>
      </div>
      <FilterBar>
        <InputFilter label="搜索" name="q" value={filter.q} placeholder="用户名或姓名" />
        <ChoiceFilter label="角色" name="role" value={filter.role} choices={ROLE_LABELS} />
      </FilterBar>
      <DataTable
        rows={rows}
        columns={[
          { label: "用户名", cell: (u) => <Link to={`/users/${u.id}`}>{u.username}</Link> },
          { label: "姓名", cell: (u) => u.display_name },
          { label: "角色", cell: (u) => ROLE_LABELS[u.role] },
          { label: "单位 / 人员", cell: (u) => u.unit_name ?? u.person_name ?? "—" },
          { label: "状态", cell: (u) => (u.active ? "正常" : "已停用") },
        ]}
      />
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
