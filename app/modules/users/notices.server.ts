import { IDENTITY_AUDIT, SECOND_FACTOR_AUDIT } from "~/auth/labels";
import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";

/**
 * A change to how an officer signs in is told to that officer: the history row names the account (`after.account`),
 * which stays so after the identity is unbound or the code's row is gone.
 */
const accountSubject =
  (subject: string): SubjectResolver =>
  async (tx, _id, after) => {
    const account = typeof after?.account === "string" ? after.account : null;
    if (!account) return undefined;
    const user = await tx.selectFrom("app_user").select(["display_name", "org_unit_id"]).where("id", "=", account).executeTakeFirst();
    return (
      user && {
        personId: null,
        unitId: null,
        accountId: account,
        owner: user.display_name,
        unit: null,
        subject: typeof after?.name === "string" && after.name ? `${subject}“${after.name}”` : subject,
        link: "/account",
      }
    );
  };

export const identityNotices = declareNotices(IDENTITY_AUDIT, accountSubject("统一身份账号"), {
  bind: [{ to: ["account"], category: "account", text: "市总工会已将{subject}绑定到您的平台账号，今后可通过统一身份认证登录" }],
  unbind: [{ to: ["account"], category: "account", text: "市总工会已解除{subject}与您的平台账号的绑定" }],
});

export const secondFactorNotices = declareNotices(SECOND_FACTOR_AUDIT, accountSubject("动态验证码"), {
  reset: [{ to: ["account"], category: "account", text: "市总工会已重置您的{subject}，目前仅凭密码即可登录，请在“我的账号”中重新设置" }],
});
