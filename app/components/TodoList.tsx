import { Link } from "@remix-run/react";

export interface TodoView {
  label: string;
  link: string;
  since: string;
  due: string | null;
  overdue: boolean;
}

/** 我的待办 as a list: each item links to its record, with since when it waits and by when it is due. */
export function TodoList({ items }: { items: readonly TodoView[] }) {
  if (!items.length) return <p className="empty">目前没有等您办理的事项。</p>;
  return (
    <ul className="todo-list">
      {items.map((item) => (
        <li key={item.link + item.label} className={item.overdue ? "overdue" : undefined}>
          <Link to={item.link}>{item.label}</Link>
          <small>
            {" "}
            · 自 {item.since} 起{item.due ? `，应于 ${item.due} 前办理` : ""}
            {item.overdue ? "（已逾期）" : ""}
          </small>
        </li>
      ))}
    </ul>
  );
}
