import { Link, useLocation } from "@remix-run/react";

export function Pagination({ page, total, pageSize }: { page: number; total: number; pageSize: number }) {
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label="分页">
      <span>
        共 {total} 条，第 {Math.min(page, pages)} / {pages} 页
      </span>
      {page > 1 ? <Link to={hrefFor(page - 1)}>上一页</Link> : null}
      {page < pages ? <Link to={hrefFor(page + 1)}>下一页</Link> : null}
    </nav>
  );
}
