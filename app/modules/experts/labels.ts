import { auditTrail } from "~/lib/audit";

/** The expert review's history, per campaign (the id is the campaign's). */
export const EXPERT_REVIEW_AUDIT = auditTrail("expert_review", "专家评审", {
  add_expert: "加入专家库",
  set_rubric: "设定评审细则",
  create_panel: "组建评审组",
  assign: "分配评审对象",
  recuse: "回避",
  submit: "提交评分",
  reopen: "退回重评",
  remind: "提醒专家",
});

/** The notice's criteria, as a campaign's rubric starts (the city edits the points and guidance). */
export const DEFAULT_RUBRIC = [
  { key: "innovation", label: "技术创新与革新", max_points: 25, guidance: "技术革新、发明专利、工艺改进及其成效" },
  { key: "mastery", label: "绝技绝活", max_points: 20, guidance: "独门技艺、攻克难题的能力，技能竞赛成绩" },
  { key: "impact", label: "推广与效益", max_points: 20, guidance: "成果推广应用和经济、社会效益" },
  { key: "green", label: "节能与新工艺", max_points: 10, guidance: "节能降耗、新工艺新材料的应用" },
  { key: "mentoring", label: "传帮带", max_points: 15, guidance: "带徒传技、培养技能骨干" },
  { key: "ethics", label: "职业道德与荣誉", max_points: 10, guidance: "爱岗敬业、职业操守，所获荣誉" },
] as const;

export const SHEET_STATUS_LABELS = { draft: "草稿", submitted: "已提交" } as const;
