import { Link, useLoaderData } from "@remix-run/react";

/** A WeChat round trip that did not succeed: what happened, and the way back. */
export function WechatProblem() {
  const data = useLoaderData<{ message?: string } | null>();
  return (
    <section className="narrow card">
      <h1>微信授权未完成</h1>
      <p className="notice" role="alert">
        {data?.message ?? "微信授权没有成功，请稍后重试"}
      </p>
      <p>
        <Link to="/login">返回登录</Link>
      </p>
    </section>
  );
}

/** /login's one tap inside WeChat (the page offers it only there, and only with an official account configured). */
export function WechatSignInButton({ redirectTo }: { redirectTo: string | null }) {
  const query = new URLSearchParams({ purpose: "sign-in", ...(redirectTo ? { redirectTo } : {}) });
  return (
    <p>
      <a className="button primary wide" href={`/wechat/authorize?${query.toString()}`}>
        微信一键登录
      </a>
    </p>
  );
}

/** /account's line on WeChat: the bound nickname, or the way to bind. */
export function WechatAccountLine({ binding }: { binding: { nickname: string | null } | null }) {
  return (
    <>
      <h2>微信</h2>
      <p className="card">
        {binding ? `已绑定微信${binding.nickname ? `“${binding.nickname}”` : ""}，在微信中可一键登录。` : "尚未绑定微信。绑定后在微信中可一键登录。"}{" "}
        <Link to="/account/wechat">{binding ? "管理微信绑定" : "绑定微信"}</Link>
      </p>
    </>
  );
}
