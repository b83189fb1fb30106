import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from "react";

/**
 * A link to an export the server takes a few seconds to make (a year's ten thousand rows): the
 * browser downloads it as it would any link, and meanwhile the page says it is being made, until
 * the response's cookie (see xlsxResponse) says the download has begun. Without JavaScript it is
 * a plain link.
 */
export function DownloadLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  const [state, setState] = useState<"idle" | "making" | "started">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearInterval(timer.current), []);
  const start = (event: MouseEvent<HTMLAnchorElement>) => {
    const token = Math.random().toString(36).slice(2, 14).padEnd(8, "0");
    const url = new URL(href, window.location.href);
    url.searchParams.set("ready", token);
    event.currentTarget.href = url.pathname + url.search;
    const cookie = `jx_ready_${token}`;
    const since = Date.now();
    setState("making");
    clearInterval(timer.current);
    timer.current = setInterval(() => {
      const arrived = document.cookie.split("; ").some((c) => c.startsWith(`${cookie}=`));
      if (!arrived && Date.now() - since < 120_000) return;
      clearInterval(timer.current);
      document.cookie = `${cookie}=; Max-Age=0; Path=/`;
      setState(arrived ? "started" : "idle");
      // The interval and this timeout share one handle: clearInterval clears either (HTML's one list of timers).
      if (arrived) timer.current = setTimeout(() => setState("idle"), 5000);
    }, 300);
  };
  return (
    <>
      <a className={className} href={href} download onClick={start}>
        {children}
      </a>
      {state !== "idle" ? (
        <span role="status" className="hint">
          {state === "making" ? "正在生成文件，数据多时需要几秒…" : "文件已生成，浏览器正在下载"}
        </span>
      ) : null}
    </>
  );
}
