import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isCountyOfficer } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { PersonForm } from "~/components/PersonForm";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { personForViewer, updatePerson } from "~/modules/people/people.server";
import { canEditPerson } from "~/modules/people/policy";
import { personFormValues } from "~/modules/people/form-values";
import { updatePersonSchema } from "~/modules/people/schema.server";
import { submitForm } from "~/lib/reply.server";

export const meta: MetaFunction = () => [{ title: "修改人员档案 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "person.update");
  const db = getDb();
  const person = granted(await personForViewer(db, user, idParam(params.personId)));
  if (!canEditPerson(user, person)) throw json({ error: "您无权修改此人员档案" }, { status: 403 });
  const units = await listCountyUnits(db);
  return json({
    person,
    units,
    fixedUnit: isCountyOfficer(user) ? (units.find((u) => u.id === user.orgUnitId) ?? null) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "person.update");
  // Someone else's record is refused before the form is read, whatever it holds.
  const id = granted(await personForViewer(getDb(), user, idParam(params.personId))).id;
  return submitForm(
    request,
    updatePersonSchema,
    (value) => updatePerson(getDb(), user, id, value),
    () => `/people/${id}`,
  );
}

export default function EditPerson() {
  const { person, units, fixedUnit } = useLoaderData<typeof loader>();
  return (
    <FormPage title={`修改人员档案：${person.name}`}>
      {(lastResult) => (
        <PersonForm
          mode="update"
          lastResult={lastResult}
          units={units}
          fixedUnit={fixedUnit}
          maskedIdNumber={person.id_number_masked}
          maskedPhone={person.phone_masked}
          defaultValue={{
            ...personFormValues(person),
            orgUnitId: String(person.org_unit_id),
          }}
        />
      )}
    </FormPage>
  );
}
