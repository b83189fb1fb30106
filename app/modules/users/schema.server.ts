import { z } from "zod";
import { APPRENTICE_USERNAME_PREFIX, FORM_ROLES, ROLE_LABELS, type Role } from "~/auth/roles";
import { confirmation, recordId, whenValid, queryParam } from "~/lib/validation.server";

export const passwordField = z
  .string({ error: "请输入密码" })
  .min(8, "密码至少8位")
  .max(128, "密码不能超过128位")
  .refine((v) => /[A-Za-z]/.test(v) && /\d/.test(v), "密码需同时包含字母和数字");

export const usernameField = z
  .string({ error: "请填写用户名" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, "用户名为3–32位小写字母、数字或 . _ -，以字母或数字开头")
  .refine((v) => !v.startsWith(APPRENTICE_USERNAME_PREFIX), `以 ${APPRENTICE_USERNAME_PREFIX} 开头的用户名留给学徒账号`);

const roleBinding = {
  role: z.enum(FORM_ROLES, { error: "请选择角色" }),
  orgUnitId: recordId("所选记录不存在").optional(),
  personId: recordId("所选记录不存在").optional(),
};

function requireBinding(value: { role: string; orgUnitId?: number; personId?: number }, ctx: z.RefinementCtx) {
  if (value.role === "county_officer" && !value.orgUnitId) {
    ctx.addIssue({ code: "custom", path: ["orgUnitId"], message: "县级总工会用户须选择所属单位" });
  }
  if (value.role === "craftsman" && !value.personId) {
    ctx.addIssue({ code: "custom", path: ["personId"], message: "工匠用户须关联本人的人员档案" });
  }
}

export const createUserSchema = z
  .object({
    username: usernameField,
    displayName: z.string({ error: "请填写姓名" }).trim().min(1, "请填写姓名").max(30, "姓名不能超过30个字"),
    password: passwordField,
    ...roleBinding,
  })
  .superRefine(requireBinding, whenValid("role", "orgUnitId", "personId"));

export type CreateUserInput = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: z.string({ error: "请填写姓名" }).trim().min(1, "请填写姓名").max(30, "姓名不能超过30个字"),
    active: z
      .enum(["on", "true", "false"])
      .optional()
      .transform((v) => v === "on" || v === "true"),
    ...roleBinding,
  })
  .superRefine(requireBinding, whenValid("role", "orgUnitId", "personId"));

export type UpdateUserInput = z.output<typeof updateUserSchema>;

export const resetPasswordSchema = z.object({ password: passwordField });

/** Which signed-in device to sign out (the account page): a handle, never the session's id. */
export const endDeviceSchema = z.object({
  device: z.string({ error: "请选择要退出的设备" }).regex(/^[0-9a-f]{16}$/, "请选择要退出的设备"),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "请输入当前密码" }).min(1, "请输入当前密码"),
    newPassword: passwordField,
    confirmPassword: z.string({ error: "请再次输入新密码" }),
  })
  .superRefine((v, ctx) => {
    if (v.newPassword !== v.confirmPassword) {
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "两次输入的新密码不一致" });
    }
    if (v.newPassword === v.currentPassword) {
      ctx.addIssue({ code: "custom", path: ["newPassword"], message: "新密码不能与当前密码相同" });
    }
  });

export const signInSchema = z.object({
  username: z.string({ error: "请输入用户名" }).trim().min(1, "请输入用户名").max(64, "用户名过长"),
  password: z.string({ error: "请输入密码" }).min(1, "请输入密码").max(256, "密码过长"),
  redirectTo: z.string().optional(),
});

export const userFilterSchema = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  // The list shows every account, experts' and apprentices' too.
  role: z
    .enum(Object.keys(ROLE_LABELS) as [Role, ...Role[]])
    .optional()
    .catch(undefined),
  page: queryParam.page(),
});

/** Binding a single sign-on identity to the account (issue 36): which of the waiting identities. */
export const bindIdentitySchema = z.object({ identityId: recordId("请选择要绑定的统一身份账号") });

/** Unbinding an identity, resetting a one-time code: irreversible, so confirmed. */
export const confirmedSchema = z.object({ confirmed: confirmation() });

/** A one-time code from the officer's authenticator app: six digits. */
export const codeSchema = z.object({
  code: z
    .string({ error: "请输入验证器上显示的6位动态验证码" })
    .trim()
    .regex(/^\d{6}$/, "动态验证码为6位数字"),
});

/** Turning the one-time code on: a code from the app, and the current password re-entered. */
export const codeEnableSchema = codeSchema.extend({
  currentPassword: z.string({ error: "请输入当前密码" }).min(1, "请输入当前密码"),
});

/** The second step of a password sign-in: the code, and where to go after. */
export const signInCodeSchema = codeSchema.extend({ redirectTo: z.string().optional() });
