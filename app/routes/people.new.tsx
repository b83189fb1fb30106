import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isCountyOfficer } from "~/auth/roles";
import { createAction } from "~/auth/create-action.server";
import { requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { PersonForm } from "~/components/PersonForm";
import { getDb } from "~/db.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { createPerson } from "~/modules/people/people.server";
import { createPersonSchema } from "~/modules/people/schema.server";

export const meta: MetaFunction = () => [{ title: "登记人员 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "person.create");
  const units = await listCountyUnits(getDb());
  return json({ units, fixedUnit: isCountyOfficer(user) ? (units.find((u) => u.id === user.orgUnitId) ?? null) : null });
}

export const action = (args: ActionFunctionArgs) => createAction(args, "person.create", createPersonSchema, createPerson, (saved) => `/people/${saved.id}`);

export default function NewPerson() {
  const { units, fixedUnit } = useLoaderData<typeof loader>();
  return (
    <FormPage title="登记人员" lead="登记工匠或学徒的基本信息。身份证号与电话加密保存，页面上只显示部分号码。">
      {(lastResult) => <PersonForm mode="create" lastResult={lastResult} units={units} fixedUnit={fixedUnit} />}
    </FormPage>
  );
}
