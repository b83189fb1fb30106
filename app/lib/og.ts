import type { MetaArgs } from "@remix-run/node";

/**
 * The shared page's own address, on the configured public address the root loader hands down
 * (PUBLIC_URL), never the request's Host header: these pages are cached for everyone.
 */
function shareUrl({ matches, location }: Pick<MetaArgs, "matches" | "location">): string | null {
  const root = matches.find((m) => m.id === "root")?.data as { publicUrl?: string } | undefined;
  return root?.publicUrl ? root.publicUrl + location.pathname : null;
}

/** Page title with Open Graph tags, for pages people share in WeChat and elsewhere. */
export function shareMeta(title: string, description: string, at: Pick<MetaArgs, "matches" | "location">) {
  const full = `${title} · 台州工匠`;
  const url = shareUrl(at);
  return [
    { title: full },
    { name: "description", content: description },
    { property: "og:title", content: full },
    { property: "og:description", content: description },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: "匠心 · 台州工匠服务平台" },
    ...(url ? [{ property: "og:url", content: url }] : []),
  ];
}
