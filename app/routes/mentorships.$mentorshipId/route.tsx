import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clientAddress } from "~/auth/throttle.server";
import { viewedRecord } from "~/auth/guarded-record.server";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { refuse } from "~/lib/result";
import { replyRefused, replyStep, replyUnknownIntent } from "~/lib/reply.server";
import { todayInTaizhou } from "~/lib/time";
import { filesOf, readForm } from "~/lib/upload.server";
import { canVerifyMilestone, relation, studioWorking } from "~/modules/studios/policy";
import { endMentorshipSchema, milestoneReviewSchema, milestoneSchema } from "~/modules/studios/schema.server";
import { addMilestone, milestoneBelongs, milestonesOf, reviewMilestone } from "~/modules/studios/milestones.server";
import { endMentorship, mentorshipForViewer, studioRefOf } from "~/modules/studios/mentorships.server";
import { assessmentSchema } from "~/modules/apprentices/assessment-schema.server";
import { assessmentsOf, canAssess, evidenceChoices, recordAssessment } from "~/modules/apprentices/assessment.server";
import { MentorshipPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.m.name ?? "学徒"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, record: m } = await viewedRecord(request, "studio.read", mentorshipForViewer, params.mentorshipId);
  const db = getDb();
  const [milestones, assessments, evidence] = await Promise.all([milestonesOf(db, m.id), assessmentsOf(db, m.id), evidenceChoices(db, m.id)]);
  const studio = studioRefOf(m);
  return json({
    m,
    milestones: milestones.map((ms) => ({ ...ms, canVerify: canVerifyMilestone(user, studio, ms) })),
    canAdd: !!relation(user, studio) && studioWorking(studio),
    canEnd: !!relation(user, studio) && m.status === "active",
    today: todayInTaizhou(),
    assessment: { assessments, choices: evidence, canAssess: canAssess(user, m), plannedEnd: m.planned_end },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, record: m } = await viewedRecord(request, "studio.read", mentorshipForViewer, params.mentorshipId);
  const db = getDb();
  const form = await readForm(request, clientAddress(request, context));
  if (!form.ok) return replyRefused("milestone", refuse(form.message, { field: "evidence" }));
  const { formData } = form;
  switch (formData.get("intent")) {
    case "milestone":
      return replyStep("milestone", formData, milestoneSchema, async (milestone) => addMilestone(db, user, m, milestone, await filesOf(formData, "evidence")), {
        invalid: "请检查填写的内容",
      });
    case "review":
      return replyStep("review", formData, milestoneReviewSchema, async (review) => {
        if (!(await milestoneBelongs(db, m.id, review.milestoneId))) throw notFound("成果记录不存在");
        return reviewMilestone(db, user, review.milestoneId, review);
      });
    case "end":
      // The first error is the message: without the confirming press it says to confirm.
      return replyStep("end", formData, endMentorshipSchema, (end) => endMentorship(db, user, m, end));
    case "assess":
      return replyStep("assess", formData, assessmentSchema, (assessment) => recordAssessment(db, user, m, assessment), { invalid: "请检查填写的内容" });
    default:
      return replyUnknownIntent();
  }
}

export default function Mentorship() {
  return <MentorshipPage {...useLoaderData<typeof loader>()} />;
}
