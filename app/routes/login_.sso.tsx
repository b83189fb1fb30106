import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { ssoDriver } from "~/auth/sso.server";
import { SignInRefused } from "~/components/SignInRefused";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "统一身份认证 · 匠心" }];

/** Leaves for the provider's sign-in page, the round trip's state bound to this browser; or says why it cannot. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  const driver = ssoDriver();
  if (!driver) throw notFound("本平台未启用统一身份认证，请用用户名和密码登录");
  const started = await driver.start(getDb(), new URL(request.url).searchParams.get("redirectTo"));
  if (!started.ok) return json({ message: started.message }, { status: 503 });
  return redirect(started.url, { headers: { "Set-Cookie": started.cookie } });
}

export default function SsoStart() {
  const { message } = useLoaderData<typeof loader>();
  return <SignInRefused message={message} />;
}
