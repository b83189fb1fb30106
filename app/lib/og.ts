import type { MetaArgs } from "@remix-run/node";

/**
 * The share card's size: Open Graph's 1.91:1 (what WeChat's article cards, Weibo and the
 * summary_large_image card show whole). WeChat's chat thumbnail is square, cut from the middle,
 * so everything a card says sits in its central 630×630 square (lib/share-card.server draws it).
 */
export const SHARE_CARD = { width: 1200, height: 630, type: "image/png" } as const;

/** The public pages that share one card for the whole page (a list, a form), by their card's name. */
export const PAGE_CARDS = ["home", "showcase", "studios", "subsidy-notices", "verify", "privacy", "award-certificate", "certificate"] as const;
export type PageCard = (typeof PAGE_CARDS)[number];

/** The records whose public page has a card of its own, drawn from what that page shows. */
export const RECORD_CARDS = ["craftsman", "studio", "notice", "vote", "vote-results", "subsidy-notice"] as const;
export type RecordCard = (typeof RECORD_CARDS)[number];

export interface ShareImage {
  /** The card's path on this site, e.g. /og/craftsman/12.png. */
  path: string;
  /** What the card shows, in words (og:image:alt). */
  alt: string;
}

/** The card of a page (one for the whole page) or of a record's page. */
export function shareCard(kind: "page", name: PageCard, alt: string): ShareImage;
export function shareCard(kind: RecordCard, id: number, alt: string): ShareImage;
export function shareCard(kind: "page" | RecordCard, key: PageCard | number, alt: string): ShareImage {
  return { path: `/og/${kind}/${key}.png`, alt };
}

/** The platform's own card (the landing page's), for a page whose record could not be read. */
export const PLATFORM_CARD: ShareImage = shareCard("page", "home", "匠心 · 台州工匠服务平台");

/** The configured public address (PUBLIC_URL) the root loader hands down, never the request's Host header: these pages are cached for everyone. */
function publicUrl({ matches }: Pick<MetaArgs, "matches">): string | null {
  const root = matches.find((m) => m.id === "root")?.data as { publicUrl?: string } | undefined;
  return root?.publicUrl ?? null;
}

/** Page title with Open Graph tags and the page's share card, for pages people share in WeChat and elsewhere. */
export function shareMeta(title: string, description: string, image: ShareImage, at: Pick<MetaArgs, "matches" | "location">) {
  const full = `${title} · 台州工匠`;
  const base = publicUrl(at);
  return [
    { title: full },
    { name: "description", content: description },
    { property: "og:title", content: full },
    { property: "og:description", content: description },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: "匠心 · 台州工匠服务平台" },
    ...(base
      ? [
          { property: "og:url", content: base + at.location.pathname },
          { property: "og:image", content: base + image.path },
          { property: "og:image:type", content: SHARE_CARD.type },
          { property: "og:image:width", content: String(SHARE_CARD.width) },
          { property: "og:image:height", content: String(SHARE_CARD.height) },
          { property: "og:image:alt", content: image.alt },
        ]
      : []),
    { name: "twitter:card", content: "summary_large_image" },
  ];
}
