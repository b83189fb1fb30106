import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gatherNotices } from "~/modules/notifications/notify.server";
import { declareNotices, stepNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { STUDIO_AUDIT } from "~/modules/studios/labels";
import { studioNotices } from "~/modules/studios/notices.server";
import { studioWorkflow } from "~/modules/studios/policy";
import { NOTICES } from "~/worker.server";

/**
 * Notifications gathers what the domains declare and looks nothing up in them (issue 30, item 2):
 * checked on its code, on the declarations' types, and on the names the history stores.
 */
const dir = path.resolve(__dirname);
const own = fs.readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));

/** Its own tables: messages, SMS and preferences, the users it writes to, the history it fans out, the job queue. */
const OWN_TABLES = ["message", "notification_preference", "sms_message", "app_user", "audit_log", "audit_fanout", "job"];

describe("the notifications module", () => {
  it("imports no other domain module", () => {
    const imports = own.flatMap((file) =>
      [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/from\s+"([^"]+)"/g)]
        .map((m) => m[1])
        .filter((spec) => /^~\/modules\//.test(spec) && !spec.startsWith("~/modules/notifications/"))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(own.length).toBeGreaterThan(3);
    expect(imports).toEqual([]);
  });

  it("reads and writes no other domain's table", () => {
    const tables = own.flatMap((file) =>
      [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/\.(?:selectFrom|innerJoin|leftJoin|rightJoin|insertInto|updateTable|deleteFrom)\(\s*"(\w+)/g)]
        .filter((m) => !OWN_TABLES.includes(m[1]))
        .map((m) => `${file}: ${m[0]}`),
    );
    expect(tables).toEqual([]);
  });

  it("hears of every action it did before, under the names the history stores", () => {
    const heard = [...NOTICES.values()].flatMap((s) => Object.keys(s.notices).map((action) => `${s.entity}:${action}`));
    expect(heard.sort()).toEqual(
      [
        ...[
          "submit",
          "withdraw",
          "county_return",
          "county_approve",
          "county_reject",
          "city_return",
          "city_approve",
          "city_reject",
          "revoke",
          "disburse",
          "close",
        ].map((step) => `subsidy:subsidy_${step}`),
        "subsidy:payee_change",
        "subsidy:place_given",
        // A 学信网 code entered while someone reviews: that reviewer is told (issue 34).
        "subsidy:chsi_report_county",
        "subsidy:chsi_report_city",
        ...["notice_publish", "objection_received"].map((action) => `subsidy:${action}`),
        ...["submit", "withdraw", "return", "county_approve", "county_reject", "city_return", "city_reject", "accredit", "suspend", "resume", "revoke"].map(
          (step) => `studio:step_${step}`,
        ),
        ...["report_submit", "report_county_return", "report_county_pass", "evaluation", "spending_pending", "spending_approve", "spending_reject"].map(
          (action) => `studio:${action}`,
        ),
        ...["tranche_add", "reconfirm", "reconfirm_decline"].map((action) => `studio:${action}`),
        "campaign:advance",
        "campaign:revert_advance",
        ...["participant_add", "participant_join", "update", "checkin", "hours"].map((action) => `event:${action}`),
        ...["create", "verify", "reject"].map((action) => `milestone:${action}`),
        ...["apprentice_confirm", "mentor_confirm", "pause", "resume"].map((action) => `mentorship_agreement:${action}`),
        ...["create", "return"].map((action) => `apprentice_log:${action}`),
        "mentorship_review:complete",
        ...["passed", "extended", "terminated"].map((result) => `mentorship_assessment:${result}`),
        "mentor_payment:pay",
        // A revoked 台州工匠 title (issue 35): its holder and county hear of it.
        "award:revoke",
        // The honour register (issue 35): the person hears of each entry, import, revocation and withdrawal.
        ...["create", "import", "revoke", "withdraw"].map((action) => `honour:${action}`),
        // The rights desk (issue 35): the requester hears the answer.
        ...["granted", "refused"].map((outcome) => `rights_request:${outcome}`),
        // Single sign-on and one-time codes (issue 36): the officer hears when the city binds, unbinds or resets.
        "external_identity:bind",
        "external_identity:unbind",
        "second_factor:reset",
        // WeChat (issue 36): the person hears when their account is bound to a WeChat or unbound.
        "wechat_identity:bind",
        "wechat_identity:unbind",
        // The security review of issue 36: the person hears when someone else changes their phone, and of a new device's sign-in.
        "person:phone_changed_by_other",
        "person:new_device_sign_in",
      ].sort(),
    );
  });

  it("takes one declaration per kind of record", () => {
    expect(() => gatherNotices([studioNotices, studioNotices])).toThrow(/declared twice/);
  });

  it("does not compile a notice for an action the trail does not name", () => {
    const subject: SubjectResolver = async () => undefined;
    // @ts-expect-error -- "step_submitt" is no action of the studio's history.
    declareNotices(STUDIO_AUDIT, subject, { step_submitt: [{ to: ["unit"], category: "todo", text: "" }] });
    // @ts-expect-error -- the studio's steps are stored as step_…, not studio_…
    declareNotices(STUDIO_AUDIT, subject, stepNotices("studio_", studioWorkflow.steps));
    // @ts-expect-error -- no such category.
    declareNotices(STUDIO_AUDIT, subject, { step_submit: [{ to: ["unit"], category: "todos", text: "" }] });
    expect(declareNotices(STUDIO_AUDIT, subject, stepNotices("step_", studioWorkflow.steps)).entity).toBe("studio");
  });
});
