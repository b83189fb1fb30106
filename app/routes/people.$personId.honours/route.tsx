import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { SessionUser } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { yearInTaizhou } from "~/lib/time";
import { addHonour, honourHistoryOf, honoursOf, revokeHonour, withdrawHonour, withdrawnHonoursOf } from "~/modules/honours/honours.server";
import { canManageHonours } from "~/modules/honours/policy";
import { honourSchema, revokeHonourSchema, withdrawHonourSchema } from "~/modules/honours/schema.server";
import { personForViewer } from "~/modules/people/people.server";
import { HonoursPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "人员"}的荣誉 · 匠心` }];

/** The person, if the user is one of their officers (the city, their county); anyone else is refused before the form is read. */
async function managed(request: Request, personId: string | undefined): Promise<{ user: SessionUser; person: { id: number; name: string } }> {
  const user = await requirePermission(request, "honour.manage");
  const person = granted(await personForViewer(getDb(), user, idParam(personId)));
  if (!canManageHonours(user, person)) throw json({ error: "只有本人所在单位的工会或市总工会可以登记荣誉" }, { status: 403 });
  return { user, person: { id: person.id, name: person.name } };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { person } = await managed(request, params.personId);
  const db = getDb();
  const [honours, withdrawn, history] = await Promise.all([honoursOf(db, person.id), withdrawnHonoursOf(db, person.id), honourHistoryOf(db, person.id)]);
  return json({ person, honours, withdrawn, history, year: yearInTaizhou() });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, person } = await managed(request, params.personId);
  const db = getDb();
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "add":
      return replyStep("add", formData, honourSchema, (value) => addHonour(db, user, person.id, value), {
        message: "已登记该荣誉",
        invalid: "请检查标出的项目",
      });
    case "revoke":
      return replyStep("revoke", formData, revokeHonourSchema, (value) => revokeHonour(db, user, person.id, value), { message: "已登记为撤销" });
    case "withdraw":
      return replyStep("withdraw", formData, withdrawHonourSchema, (value) => withdrawHonour(db, user, person.id, value), {
        message: "已撤回该录入，记录保留在变更记录中",
      });
    default:
      return replyUnknownIntent();
  }
}

export default function PersonHonours() {
  return <HonoursPage {...useLoaderData<typeof loader>()} />;
}
