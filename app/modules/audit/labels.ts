/** Chinese names for what the audit log stores in English. Unknown keys print as they are. */
export const ENTITY_LABELS: Record<string, string> = {
  person: "人员档案",
  user: "用户",
  org_unit: "组织单位",
};

export const ACTION_LABELS: Record<string, string> = {
  create: "新建",
  update: "修改",
  reset_password: "重置密码",
  reveal_personal_data: "查看完整证件号/电话",
};

export const entityLabel = (key: string) => ENTITY_LABELS[key] ?? key;
export const actionLabel = (key: string) => ACTION_LABELS[key] ?? key;
