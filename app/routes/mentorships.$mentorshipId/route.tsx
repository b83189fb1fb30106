import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { clientAddress } from "~/auth/throttle.server";
import { viewedRecord } from "~/auth/guarded-record.server";
import { getDb } from "~/db.server";
import { notFound } from "~/lib/http.server";
import { refuse } from "~/lib/result";
import { replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { smsGateway } from "~/lib/sms.server";
import { todayInTaizhou } from "~/lib/time";
import { filesOf, readForm } from "~/lib/upload.server";
import { partyTo } from "~/modules/apprentices/policy";
import { canVerifyMilestone, isOngoing, relation, studioWorking } from "~/modules/studios/policy";
import { endMentorshipSchema, milestoneReviewSchema, milestoneSchema } from "~/modules/studios/schema.server";
import { addMilestone, milestoneBelongs, milestonesOf, reviewMilestone } from "~/modules/studios/milestones.server";
import { endMentorship, mentorshipForViewer, studioRefOf } from "~/modules/studios/mentorships.server";
import {
  agreementOf,
  confirmAsApprentice,
  confirmAsMentor,
  pauseMentorship,
  resumeMentorship,
  sendAgreementCode,
} from "~/modules/apprentices/agreement.server";
import { addLogEntry, logPanelOf, reviewLogEntry } from "~/modules/apprentices/log.server";
import { agreementCodeSchema, logEntrySchema, logReviewSchema, mentorConfirmSchema, pauseSchema, resumeSchema } from "~/modules/apprentices/schema.server";
import { reviewsFor, signReview } from "~/modules/apprentices/reviews.server";
import { reviewSignSchema } from "~/modules/apprentices/reviews-schema.server";
import { assessmentSchema } from "~/modules/apprentices/assessment-schema.server";
import { assessmentsOf, canAssess, evidenceChoices, recordAssessment } from "~/modules/apprentices/assessment.server";
import { MentorshipPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.m.name ?? "学徒"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, record: m } = await viewedRecord(request, "mentorship.read", mentorshipForViewer, params.mentorshipId);
  const db = getDb();
  const [milestones, reviews, assessments, evidence, agreement, log] = await Promise.all([
    milestonesOf(db, m.id),
    reviewsFor(db, user, m),
    assessmentsOf(db, m.id),
    evidenceChoices(db, m.id),
    agreementOf(db, user, m),
    logPanelOf(db, user, m),
  ]);
  const studio = studioRefOf(m);
  return json({
    m,
    milestones: milestones.map((ms) => ({ ...ms, canVerify: canVerifyMilestone(user, studio, ms) })),
    canAdd: !!relation(user, studio) && studioWorking(studio),
    canEnd: !!relation(user, studio) && isOngoing(m.status),
    // The apprentice reads their own pairing; the studio's and the people's pages are not theirs.
    viewer: partyTo(user, m),
    today: todayInTaizhou(),
    agreement,
    log,
    reviews,
    assessment: { assessments, choices: evidence, canAssess: canAssess(user, m), plannedEnd: m.planned_end },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, record: m } = await viewedRecord(request, "mentorship.read", mentorshipForViewer, params.mentorshipId);
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
    case "agreement-code": {
      const sent = await sendAgreementCode(db, smsGateway(), user, m, clientAddress(request, context));
      return replyWith("agreement-code", sent, { message: sent.ok ? `验证码已发送至您档案中的手机 ${sent.masked}，10分钟内有效` : undefined });
    }
    case "agreement-apprentice":
      // The code is the phone's secret, as on /login/code: never sent back, refused or not.
      return replyStep("agreement-apprentice", formData, agreementCodeSchema, ({ code }) => confirmAsApprentice(db, user, m, code), { hideFields: ["code"] });
    case "agreement-mentor":
      return replyStep("agreement-mentor", formData, mentorConfirmSchema, (press) => confirmAsMentor(db, user, m, press));
    case "pause":
      return replyStep("pause", formData, pauseSchema, (pause) => pauseMentorship(db, user, m, pause));
    case "resume":
      return replyStep("resume", formData, resumeSchema, (resume) => resumeMentorship(db, user, m, resume));
    case "log":
      return replyStep("log", formData, logEntrySchema, async (entry) => addLogEntry(db, user, m, entry, await filesOf(formData, "photo", 1)), {
        invalid: "请检查填写的内容",
      });
    case "log-review":
      return replyStep("log-review", formData, logReviewSchema, (review) => reviewLogEntry(db, user, m, review));
    case "reviewSign":
      // Ratings are private (the module's README): not even the signer's own comes back in the reply.
      return replyStep("reviewSign", formData, reviewSignSchema, (sign) => signReview(db, user, m, sign), { hideFields: ["rating"] });
    case "assess":
      return replyStep("assess", formData, assessmentSchema, (assessment) => recordAssessment(db, user, m, assessment), { invalid: "请检查填写的内容" });
    default:
      return replyUnknownIntent();
  }
}

export default function Mentorship() {
  return <MentorshipPage {...useLoaderData<typeof loader>()} />;
}
