import { Form, NavLink, Link } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { can, ROLE_LABELS, type Permission, type SessionUser } from "~/auth/roles";

interface NavItem {
  to: string;
  label: string;
  permission?: Permission;
  /** Which of the root loader's counts shows beside the link. */
  badge?: "todo" | "unread";
}

const NAV: NavItem[] = [
  { to: "/home", label: "工作台", badge: "todo" },
  { to: "/inbox", label: "消息", badge: "unread" },
  { to: "/dashboard", label: "数据看板", permission: "dashboard.read" },
  { to: "/studios", label: "工匠工作室", permission: "studio.read" },
  { to: "/milestones/pending", label: "待核实成果", permission: "milestone.verify" },
  { to: "/evaluations", label: "年度考核", permission: "evaluation.grade" },
  { to: "/subsidies", label: "学历提升补助", permission: "subsidy.read" },
  { to: "/events", label: "交流培训", permission: "event.read" },
  { to: "/publicity", label: "宣传报道", permission: "publicity.manage" },
  { to: "/campaigns", label: "评选活动", permission: "campaign.read" },
  { to: "/review", label: "专家评审", permission: "review.score" },
  { to: "/experts", label: "专家库", permission: "expert.manage" },
  { to: "/people", label: "人员档案", permission: "person.create" },
  { to: "/org-units", label: "组织单位", permission: "org_unit.read" },
  { to: "/users", label: "用户管理", permission: "user.manage" },
  { to: "/audit", label: "操作日志", permission: "audit.read" },
  { to: "/sms", label: "短信记录", permission: "sms.log" },
];

export function AppShell({ user, counts, children }: { user: SessionUser | null; counts?: { todo: number; unread: number } | null; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const items = NAV.filter((item) => !item.permission || can(user, item.permission));
  return (
    <>
      <header className="topbar">
        <Link to={user ? "/home" : "/"} className="brand">
          <span className="brand-mark" aria-hidden>
            匠
          </span>
          <span>
            匠心<small>台州工匠服务平台</small>
          </span>
        </Link>
        {user ? (
          <>
            <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen((v) => !v)}>
              菜单
              {/* On a phone the menu is closed: its button carries what waits inside. */}
              {counts && counts.todo + counts.unread ? (
                <span className="count" aria-label={`${counts.todo}项待办，${counts.unread}条未读消息`}>
                  {counts.todo + counts.unread}
                </span>
              ) : null}
            </button>
            <nav id="main-nav" className={open ? "nav open" : "nav"} aria-label="主导航">
              {items.map((item) => (
                <NavLink key={item.to} to={item.to} onClick={() => setOpen(false)}>
                  {item.label}
                  {item.badge && counts?.[item.badge] ? (
                    <span className="count" aria-label={item.badge === "todo" ? `${counts.todo}项待办` : `${counts.unread}条未读`}>
                      {counts[item.badge]}
                    </span>
                  ) : null}
                </NavLink>
              ))}
              <div className="nav-user">
                <Link to="/account" onClick={() => setOpen(false)} className="who">
                  {user.displayName}
                  <small>{ROLE_LABELS[user.role]}</small>
                </Link>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    退出
                  </button>
                </Form>
              </div>
            </nav>
          </>
        ) : (
          <nav className="nav nav-anon" aria-label="主导航">
            <NavLink to="/showcase">工匠风采</NavLink>
            <NavLink to="/verify">证书查验</NavLink>
            <NavLink to="/login">登录</NavLink>
          </nav>
        )}
      </header>
      <main className="page">{children}</main>
      <footer className="footer">台州市总工会 · 劳动和经济工作部</footer>
    </>
  );
}
