import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { BackLink } from "~/components/BackLink";
import { Pagination } from "~/components/Pagination";
import { TodoList } from "~/components/TodoList";
import { getDb } from "~/db.server";
import { queryParam } from "~/lib/validation.server";
import { todoPage } from "~/worker.server";

export const meta: MetaFunction = () => [{ title: "我的待办 · 匠心" }];

/** Every to-do of the user, oldest first, a page at a time. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = queryParam.page().parse(new URL(request.url).searchParams.get("page") ?? undefined) ?? 1;
  return json({ todos: await todoPage(getDb(), user, page) });
}

export default function Todos() {
  const { todos } = useLoaderData<typeof loader>();
  return (
    <section>
      <BackLink to="/home">工作台</BackLink>
      <h1>我的待办（{todos.total}）</h1>
      <div className="card">
        <TodoList items={todos.rows} />
      </div>
      <Pagination page={todos.page} pageSize={todos.pageSize} total={todos.total} />
    </section>
  );
}
