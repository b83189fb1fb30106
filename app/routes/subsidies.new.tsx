import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isCraftsman } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { SubsidyForm } from "~/components/SubsidyForm";
import { getDb } from "~/db.server";
import { applicationSchema } from "~/modules/subsidies/schema.server";
import { createApplication, findPolicy } from "~/modules/subsidies/subsidies.server";
import { yearInTaizhou } from "~/lib/time";
import { submitForm } from "~/lib/reply.server";

export const meta: MetaFunction = () => [{ title: "申请学历提升补助 · 匠心" }];

async function load(request: Request) {
  const user = await requirePermission(request, "subsidy.read");
  if (!isCraftsman(user)) throw json({ error: "学历提升补助由获评的工匠本人申请" }, { status: 403 });
  return { user, year: yearInTaizhou() };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { year } = await load(request);
  const policy = await findPolicy(getDb(), year);
  return json({ year, policy: policy ? { share_percent: policy.share_percent, caps: policy.caps, open: policy.open } : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, year } = await load(request);
  return submitForm(
    request,
    applicationSchema,
    (value) => createApplication(getDb(), user, year, value),
    (saved) => `/subsidies/${saved.id}`,
  );
}

export default function NewSubsidy() {
  const { year, policy } = useLoaderData<typeof loader>();
  return (
    <FormPage
      title={`申请${year}年学历提升补助`}
      back={{ to: "/subsidies", label: "学历提升补助" }}
      lead="保存后上传录取（入学）证明和学费收据，再提交县级总工会审核。"
    >
      {(lastResult) => (
        <>
          {policy && !policy.open ? <p className="notice">{year}年暂未开放申请，可以先保存草稿。</p> : null}
          <SubsidyForm lastResult={lastResult} policy={policy} />
        </>
      )}
    </FormPage>
  );
}
