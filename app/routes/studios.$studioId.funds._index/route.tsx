import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clientAddress } from "~/auth/throttle.server";
import { relationTo, type Relation } from "~/auth/relation";
import { viewedRecord } from "~/auth/guarded-record.server";
import { getDb } from "~/db.server";
import { refuse } from "~/lib/result";
import { replyRefused, replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { todayInTaizhou, yearInTaizhou } from "~/lib/time";
import { filesOf, readForm } from "~/lib/upload.server";
import { grantSchema, spendingReviewSchema, spendingSchema, trancheSchema } from "~/modules/studios/cycle-schema.server";
import { addGrant, addSpending, addTranche, cyclePolicyFor, ledgerOf, reviewSpending } from "~/modules/studios/funds.server";
import { studioWorking, isRunning } from "~/modules/studios/policy";
import { studioForViewer } from "~/modules/studios/studios.server";
import { StudioFundsPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `经费台账 · ${data?.studio.name ?? "工作室"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, record: studio } = await viewedRecord(request, "studio.read", studioForViewer, params.studioId);
  const db = getDb();
  const year = yearInTaizhou();
  const [ledger, policy] = await Promise.all([ledgerOf(db, studio.id), cyclePolicyFor(db, year)]);
  const relation = relationTo(user, studio.org_unit_id, studio.person_id);
  return json({
    studio: { id: studio.id, name: studio.name, status: studio.status },
    ledger,
    year,
    today: todayInTaizhou(),
    thresholdFen: policy.approvalThresholdFen,
    canRecordGrants: (relation === "city" || relation === "county") && isRunning(studio.status),
    canSpend: relation === "owner" && studioWorking(studio),
    canReview: relation === "county",
    closing: studio.status === "revoked",
  });
}

/** Whose each form is, before anything in it is read. */
const MAY_ACT: Record<string, Relation[]> = { grant: ["city", "county"], tranche: ["city", "county"], spend: ["owner"], review: ["county"] };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, record: studio } = await viewedRecord(request, "studio.read", studioForViewer, params.studioId);
  const db = getDb();
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("spend", refuse(form.message, { field: "receipts" }));
  const { formData } = form;
  const intent = formData.get("intent");
  if (typeof intent !== "string" || !Object.hasOwn(MAY_ACT, intent)) return replyUnknownIntent();
  const relation = relationTo(user, studio.org_unit_id, studio.person_id);
  if (!relation || !MAY_ACT[intent].includes(relation)) return replyRefused(intent, refuse("您无权进行此操作", { status: 403 }));
  const invalid = "请检查填写的内容";
  switch (intent) {
    case "grant":
      return replyStep(intent, formData, grantSchema, (input) => addGrant(db, user, studio, input), { invalid });
    case "tranche":
      return replyStep(intent, formData, trancheSchema, (input) => addTranche(db, user, studio, input), { invalid });
    case "spend":
      return replyStep(intent, formData, spendingSchema, async (input) => addSpending(db, user, studio, input, await filesOf(formData, "receipts")), {
        invalid,
      });
    default:
      return replyStep(intent, formData, spendingReviewSchema, (input) => reviewSpending(db, user, studio, input));
  }
}

export default function StudioFunds() {
  return <StudioFundsPage {...useLoaderData<typeof loader>()} />;
}
