import { Form, NavLink, Link, useLocation } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { can, ROLE_LABELS, type Permission, type SessionUser } from "~/auth/roles";

interface NavItem {
  to: string;
  label: string;
  permission?: Permission;
  /** Which of the root loader's counts shows beside the link. */
  badge?: "todo" | "unread";
}

/**
 * The menu in groups: the city sees seventeen entries, which in one row wrap into two-line items
 * on any screen under 1600 px. A group the user sees only one entry of shows it as a plain link.
 */
const NAV: Array<{ label: string | null; items: NavItem[] }> = [
  {
    label: null,
    items: [
      { to: "/home", label: "工作台", badge: "todo" },
      { to: "/inbox", label: "消息", badge: "unread" },
      { to: "/dashboard", label: "数据看板", permission: "dashboard.read" },
    ],
  },
  {
    label: "工作室",
    items: [
      { to: "/studios", label: "工匠工作室", permission: "studio.read" },
      { to: "/milestones/pending", label: "待核实成果", permission: "milestone.verify" },
      { to: "/evaluations", label: "年度考核", permission: "evaluation.grade" },
      { to: "/mentoring/payable", label: "带徒津贴", permission: "mentoring.payable" },
    ],
  },
  {
    label: "服务",
    items: [
      { to: "/subsidies", label: "学历提升补助", permission: "subsidy.read" },
      { to: "/events", label: "交流培训", permission: "event.read" },
      { to: "/publicity", label: "宣传报道", permission: "publicity.manage" },
    ],
  },
  {
    label: "评选",
    items: [
      { to: "/campaigns", label: "评选活动", permission: "campaign.read" },
      { to: "/review", label: "专家评审", permission: "review.score" },
      { to: "/experts", label: "专家库", permission: "expert.manage" },
      { to: "/revocations", label: "撤销与收回", permission: "revocation.read" },
    ],
  },
  {
    label: "管理",
    items: [
      { to: "/people", label: "人员档案", permission: "person.create" },
      { to: "/org-units", label: "组织单位", permission: "org_unit.read" },
      { to: "/documents", label: "决定文件", permission: "document.read" },
      { to: "/users", label: "用户管理", permission: "user.manage" },
      { to: "/audit", label: "操作日志", permission: "audit.read" },
      { to: "/sms", label: "短信记录", permission: "sms.log" },
      { to: "/retention", label: "保存期限", permission: "retention.manage" },
      { to: "/privacy/desk", label: "个人信息申请", permission: "privacy.desk" },
    ],
  },
];

function NavItemLink({ item, counts, onPick }: { item: NavItem; counts?: { todo: number; unread: number } | null; onPick: () => void }) {
  return (
    <NavLink to={item.to} onClick={onPick}>
      {item.label}
      {item.badge && counts?.[item.badge] ? (
        <span className="count" aria-label={item.badge === "todo" ? `${counts.todo}项待办` : `${counts.unread}条未读`}>
          {counts[item.badge]}
        </span>
      ) : null}
    </NavLink>
  );
}

/** A group of the menu: on a phone (the menu open) its entries under a small heading, all in view; on a desktop a drop-down. */
function NavGroup({ label, items, counts, onPick }: { label: string; items: NavItem[]; counts?: { todo: number; unread: number } | null; onPick: () => void }) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const current = items.some((i) => location.pathname === i.to || location.pathname.startsWith(`${i.to}/`));
  const pick = () => {
    setOpen(false);
    onPick();
  };
  return (
    <div
      className={`nav-group${open ? " open" : ""}${current ? " current" : ""}`}
      onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
      // Focus moving out of the group (a click elsewhere, a tab past its last entry) closes it.
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}
    >
      <button type="button" className="nav-group-toggle" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {label}
      </button>
      <div className="nav-group-items" role="group" aria-label={label} data-label={label}>
        {items.map((item) => (
          <NavItemLink key={item.to} item={item} counts={counts} onPick={pick} />
        ))}
      </div>
    </div>
  );
}

/** 大字版: posts the choice (it works before the scripts load) and comes back to this page. */
function TextSizeSwitch({ large }: { large: boolean }) {
  const location = useLocation();
  return (
    <Form method="post" action="/text-size" className="text-size">
      <input type="hidden" name="back" value={location.pathname + location.search} />
      <button type="submit" name="size" value={large ? "normal" : "large"} className="text-size-toggle" aria-pressed={large}>
        大字版
      </button>
    </Form>
  );
}

export function AppShell({
  user,
  counts,
  largeText,
  children,
}: {
  user: SessionUser | null;
  counts?: { todo: number; unread: number } | null;
  largeText: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const groups = NAV.map((g) => ({ ...g, items: g.items.filter((item) => !item.permission || can(user, item.permission)) })).filter((g) => g.items.length);
  const close = () => setOpen(false);
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
        <TextSizeSwitch large={largeText} />
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
              {groups.map((g) =>
                g.label && g.items.length > 1 ? (
                  <NavGroup key={g.label} label={g.label} items={g.items} counts={counts} onPick={close} />
                ) : (
                  g.items.map((item) => <NavItemLink key={item.to} item={item} counts={counts} onPick={close} />)
                ),
              )}
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
      <footer className="footer">
        台州市总工会 · 劳动和经济工作部 · <Link to="/privacy">个人信息保护</Link>
      </footer>
    </>
  );
}
