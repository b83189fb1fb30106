import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { queryParam } from "~/lib/validation";
import { ROLE_LABELS } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { listUsers } from "~/modules/users/users.server";
import { ChoiceFilter } from "~/components/ChoiceFilter";

export const meta: MetaFunction = () => [{ title: "用户管理 · 匠心" }];

const filterSchema = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  role: z.enum(["city_admin", "county_officer", "craftsman"]).optional().catch(undefined),
  page: queryParam.page(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user.manage");
  const filter = filterSchema.parse(searchParams(request));
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
      <Form method="get" className="filters">
        <label>
          <span>搜索</span>
          <input name="q" defaultValue={filter.q ?? ""} placeholder="用户名或姓名" />
        </label>
        <ChoiceFilter label="角色" name="role" value={filter.role} choices={ROLE_LABELS} />
        <button type="submit" className="button">
          查询
        </button>
      </Form>
      <div className="table-wrap">
        <table className="table responsive">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>角色</th>
              <th>单位 / 人员</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id}>
                <td data-label="用户名">
                  <Link to={`/users/${u.id}`}>{u.username}</Link>
                </td>
                <td data-label="姓名">{u.display_name}</td>
                <td data-label="角色">{ROLE_LABELS[u.role]}</td>
                <td data-label="单位 / 人员">{u.unit_name ?? u.person_name ?? "—"}</td>
                <td data-label="状态">{u.active ? "正常" : "已停用"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
