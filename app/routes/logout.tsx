import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertSafePost, signOut } from "~/auth/session.server";
import { getDb } from "~/db.server";

export async function action({ request }: ActionFunctionArgs) {
  await assertSafePost(request);
  const cookie = await signOut(getDb(), request);
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/");
}
