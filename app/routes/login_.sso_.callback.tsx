import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clearFlowCookie } from "~/auth/sign-in-flow.server";
import { signInWithIdentity, ssoDriver } from "~/auth/sso.server";
import { SignInRefused } from "~/components/SignInRefused";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "统一身份认证 · 匠心" }];

/**
 * The provider sends the browser back here (PUBLIC_URL/login/sso/callback): the state is this browser's and spent,
 * the code exchanged, the identity checked; a bound officer's account is signed in, anyone else is told why not.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const driver = ssoDriver();
  if (!driver) throw notFound("本平台未启用统一身份认证，请用用户名和密码登录");
  const db = getDb();
  const headers = new Headers({ "Set-Cookie": clearFlowCookie("oidc") });
  const back = await driver.finish(db, request);
  if (!back.ok) return json({ message: back.message }, { status: 400, headers });
  const signedIn = await signInWithIdentity(db, request, back.identity, new Date(), context);
  if (!signedIn.ok) return json({ message: signedIn.message }, { status: 403, headers });
  headers.append("Set-Cookie", signedIn.cookie);
  return redirect(back.redirectTo, { headers });
}

export default function SsoCallback() {
  const { message } = useLoaderData<typeof loader>();
  return <SignInRefused message={message} />;
}
