/** Page title with Open Graph tags, for pages people share in WeChat and elsewhere. */
export function shareMeta(title: string, description: string) {
  const full = `${title} · 台州工匠`;
  return [
    { title: full },
    { name: "description", content: description },
    { property: "og:title", content: full },
    { property: "og:description", content: description },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: "匠心 · 台州工匠服务平台" },
  ];
}
