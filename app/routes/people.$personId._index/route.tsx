import { parseWithZod } from "~/lib/form.server";
import { clientAddress } from "~/auth/throttle.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isCraftsman } from "~/auth/roles";
import { requirePermission, requireUser } from "~/auth/session.server";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { firstError, replyDone, replyInvalid, replyRefused, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { historyOf } from "~/modules/audit/audit.server";
import { personForViewer, revealPersonalData } from "~/modules/people/people.server";
import { selectionRecord } from "~/modules/nominations/nominations.server";
import { consentSchema, withdrawConsentSchema } from "~/modules/showcase/schema.server";
import { consentOf, recordConsent, withdrawConsent } from "~/modules/showcase/showcase.server";
import { filesOf, readForm } from "~/lib/upload.server";
import { eventsOfPerson } from "~/modules/events/events.server";
import { honoursOf } from "~/modules/honours/honours.server";
import { canManageHonours } from "~/modules/honours/policy";
import { canEditPerson, canRevealPersonalData } from "~/modules/people/policy";
import { revealSchema } from "~/modules/people/schema.server";
import { PersonPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "人员"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const person = granted(await personForViewer(db, user, idParam(params.personId)));
  const [history, record, events, consent, honours] = await Promise.all([
    isCraftsman(user) ? Promise.resolve([]) : historyOf(db, "person", person.id),
    selectionRecord(db, person.id),
    eventsOfPerson(db, person.id),
    consentOf(db, person.id),
    honoursOf(db, person.id),
  ]);
  return json({
    person,
    history,
    record,
    events,
    consent: consent ?? null,
    canEdit: canEditPerson(user, person),
    canReveal: canRevealPersonalData(user),
    honours,
    canManageHonours: canManageHonours(user, person),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // Someone else's record is refused before the form is read, whatever it holds.
  const id = granted(await personForViewer(getDb(), user, idParam(params.personId))).id;
  const form = await readForm(request, clientAddress(request, context));
  // Only the consent form sends a file: a post too large to read was that one.
  if (!form.ok) return replyRefused("consent", refuse(form.message));
  const formData = form.formData;
  const intent = formData.get("intent");
  const db = getDb();
  if (intent === "withdraw-consent") {
    const submission = parseWithZod(formData, { schema: withdrawConsentSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission);
    const result = await withdrawConsent(db, user, id, submission.value.reason);
    if (!result.ok) throw json({ error: result.message }, { status: result.status });
    return replyDone(intent, { message: "已撤回，公开页面已不再展示" });
  }
  if (intent === "consent") {
    const submission = parseWithZod(formData, { schema: consentSchema });
    if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission) });
    const [photo] = await filesOf(formData, "photo");
    const result = await recordConsent(db, user, id, { ...submission.value, photo: photo ?? null });
    if (!result.ok && result.status !== 400) throw json({ error: result.message }, { status: result.status });
    return replyWith<object>(intent, result, { message: "已登记，本人信息将在公开页面展示" });
  }
  await requirePermission(request, "person.reveal");
  const submission = parseWithZod(formData, { schema: revealSchema });
  if (submission.status !== "success") return replyInvalid("reveal", submission);
  const revealed = await revealPersonalData(db, user, id, submission.value.reason);
  if (!revealed.ok) throw json({ error: revealed.status === 404 ? "记录不存在" : "无权查看" }, { status: revealed.status });
  const reply = replyDone("reveal", { submission, data: { idNumber: revealed.idNumber, phone: revealed.phone } });
  reply.headers.set("Cache-Control", "no-store");
  return reply;
}

export default function PersonRoute() {
  return <PersonPage {...useLoaderData<typeof loader>()} />;
}
