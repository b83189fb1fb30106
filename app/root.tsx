import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { wantsLargeText } from "~/lib/preferences.server";
import { publicAddress } from "~/lib/http.server";
import { wechatDriver } from "~/lib/wechat.server";
import { WechatShare } from "~/components/WechatShare";
import { workCounts } from "~/worker.server";
import { AppShell } from "~/components/AppShell";
import { useNonce } from "~/components/nonce";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "匠心 · 台州工匠服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  // The navigation's badges: what waits for the user, and their unread messages.
  const counts = user ? await workCounts(getDb(), user) : null;
  // The public address, for the share links the pages' meta tags carry (lib/og).
  return json({ user, counts, largeText: wantsLargeText(request), publicUrl: publicAddress(), wechatShare: wechatDriver() !== null });
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  // Marks the page as interactive, so browser tests (and support staff) can tell a page whose
  // scripts have taken over from one still showing its server HTML.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="zh-CN" data-text={root?.largeText ? "large" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, counts, largeText, wechatShare } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user} counts={counts} largeText={largeText}>
      <Outlet />
      <WechatShare enabled={wechatShare} />
    </AppShell>
  );
}

const ERROR_TEXT: Record<number, { title: string; text: string }> = {
  400: { title: "请求有误", text: "提交的内容无法处理，请检查后重试。" },
  403: { title: "没有权限", text: "您没有权限查看或操作此内容。如有疑问，请联系市总工会管理员。" },
  404: { title: "页面不存在", text: "您访问的页面或记录不存在，可能已被删除或链接有误。" },
  405: { title: "不支持的操作", text: "此页面不接受该操作。" },
  429: { title: "操作过于频繁", text: "请稍后再试。" },
  503: { title: "系统暂时无法服务", text: "数据库暂时无法访问，请稍后重试。已保存的内容不受影响。" },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  let status = 500;
  let detail: string | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    detail = typeof error.data === "object" && error.data && "error" in error.data ? String(error.data.error) : undefined;
  } else if (error instanceof Error) {
    console.error(error);
  }
  const info = ERROR_TEXT[status] ?? { title: "系统出错了", text: "服务器处理请求时出错，我们已记录此问题。请稍后重试。" };
  return (
    <AppShell user={data?.user ?? null} largeText={data?.largeText ?? false}>
      <section className="error-page" role="alert">
        <p className="error-code">{status}</p>
        <h1>{info.title}</h1>
        <p>{detail ?? info.text}</p>
        <p>
          <a href="/">返回首页</a>
        </p>
      </section>
    </AppShell>
  );
}
