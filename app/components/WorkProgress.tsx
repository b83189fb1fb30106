import { useEffect } from "react";
import { Link, useLocation, useRevalidator } from "@remix-run/react";

/**
 * Work the job queue is doing for this page (a sheet being checked or written): a bar with the
 * count, and the page asks again every second and a half until the work is done. Without JavaScript
 * the link asks again by hand.
 */
export function WorkProgress({ label, done, total }: { label: string; done: number; total: number }) {
  const { revalidate, state } = useRevalidator();
  const location = useLocation();
  useEffect(() => {
    const timer = setInterval(() => {
      if (state === "idle") revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [revalidate, state]);
  return (
    <div className="card" role="status" aria-live="polite">
      <p>
        {label}：{done} / {total} 行
      </p>
      <progress max={total} value={done} aria-label={label} />
      <p className="hint">
        可以离开本页，完成后再回来查看。<Link to={location.pathname + location.search}>刷新</Link>
      </p>
    </div>
  );
}
