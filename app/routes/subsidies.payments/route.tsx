import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { todayInTaizhou, yearInTaizhou } from "~/lib/time";
import { cancelBatch, createBatch, paymentsOf, recordBatchPaid } from "~/modules/subsidies/payments.server";
import { batchPaidSchema, cancelBatchSchema, createBatchSchema, paymentsFilterSchema } from "~/modules/subsidies/schema.server";
import { PaymentsPage } from "./page";

export const meta: MetaFunction = () => [{ title: "补助拨付 · 匠心" }];

/** The year's payable applications by stage, and its payment batches: the city's. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "subsidy.pay");
  const year = paymentsFilterSchema.parse(searchParams(request)).year ?? yearInTaizhou();
  return json({ year, ...(await paymentsOf(getDb(), year)), today: todayInTaizhou() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "subsidy.pay");
  const db = getDb();
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "create":
      return replyStep("create", formData, createBatchSchema, (input) => createBatch(db, user, input));
    case "paid":
      return replyStep("paid", formData, batchPaidSchema, (input) => recordBatchPaid(db, user, input));
    case "cancel":
      return replyStep("cancel", formData, cancelBatchSchema, (input) => cancelBatch(db, user, input));
    default:
      return replyUnknownIntent();
  }
}

export default function SubsidyPayments() {
  return <PaymentsPage {...useLoaderData<typeof loader>()} />;
}
