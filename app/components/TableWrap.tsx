import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A table's frame: it scrolls sideways when the table is wider than the screen, and then says so
 * above the table (a phone user otherwise never learns that columns are hidden), and takes the
 * keyboard's focus so it can be scrolled without a mouse.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {scrolls ? (
        <p className="scroll-hint" aria-hidden>
          表格较宽，可左右滑动查看 ⇆
        </p>
      ) : null}
      <div ref={ref} className="table-wrap" tabIndex={0} role="region" aria-label={label}>
        {children}
      </div>
    </>
  );
}
