import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormPage } from "~/components/FormPage";
import { SubsidyForm } from "~/components/SubsidyForm";
import { getDb } from "~/db.server";
import { guardedAction } from "~/auth/create-action.server";
import { guardedRecord } from "~/auth/guarded-record.server";
import { canEditApplication } from "~/modules/subsidies/policy";
import { applicationSchema } from "~/modules/subsidies/schema.server";
import { applicationForViewer, findPolicy, updateApplication } from "~/modules/subsidies/subsidies.server";

export const meta: MetaFunction = () => [{ title: "修改补助申请 · 匠心" }];

const guard = ({ request, params }: LoaderFunctionArgs) =>
  guardedRecord(request, "subsidy.read", applicationForViewer, params.applicationId, canEditApplication, "申请已提交，当前不能修改");

export async function loader(args: LoaderFunctionArgs) {
  const { record: app } = await guard(args);
  const policy = await findPolicy(getDb(), app.year);
  return json({ app, policy: policy ? { share_percent: policy.share_percent, caps: policy.caps } : null });
}

export const action = (args: ActionFunctionArgs) =>
  guardedAction(
    args,

    guard,
    applicationSchema,
    (db, user, app, value) => updateApplication(db, user, app.id, value),
    (_, app) => `/subsidies/${app.id}`,
  );

export default function EditSubsidy() {
  const { app, policy } = useLoaderData<typeof loader>();
  return (
    <FormPage title="修改补助申请" back={{ to: `/subsidies/${app.id}`, label: "返回申请" }}>
      {(lastResult) => (
        <SubsidyForm
          lastResult={lastResult}
          policy={policy}
          defaultValue={{
            currentEducation: app.current_education,
            targetDegree: app.target_degree,
            institution: app.institution,
            programme: app.programme,
            studyMode: app.study_mode,
            enrolledOn: app.enrolled_on,
            expectedGraduation: app.expected_graduation,
            tuition: (app.tuition_fen / 100).toFixed(2),
            requested: (app.requested_fen / 100).toFixed(2),
          }}
        />
      )}
    </FormPage>
  );
}
