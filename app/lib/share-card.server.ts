import { createHash } from "node:crypto";
import sharp from "sharp";
import { escape, FONTS, serverHasChineseFont, wrap } from "~/lib/certificate-file.server";
import { publicAddress } from "~/lib/http.server";
import { idOrNull } from "~/lib/ids";
import { PAGE_CARDS, RECORD_CARDS, SHARE_CARD, type PageCard, type RecordCard } from "~/lib/og";

/**
 * The share card of a public page (og:image): a PNG drawn here from an SVG by sharp's librsvg, as
 * the certificates are (lib/certificate-file.server), with the same fonts. What it says is decided
 * by the caller (modules/share-cards, from what the page itself shows); this file only draws.
 *
 * 1200×630, Open Graph's own shape, with everything it says in the central 630×630 square: WeChat's
 * chat thumbnail is a square cut from the middle, and there the card still shows the mark, the
 * photo and the title; the two red wings outside it only decorate the wide card.
 *
 * Where the server has no Chinese font, the card cannot be sent as an SVG for the phone to draw
 * (as the certificate is): Open Graph readers and WeChat take raster images only. It is drawn
 * without Chinese text instead — the mark (drawn as strokes, no font needed), the photo, the kind
 * of page in Latin letters, the years and dates, the site's address — never boxes of missing glyphs.
 */

export interface CardFace {
  /** The kind of page, over the title: 工匠风采, 网络投票… */
  tag: string;
  /** The same in Latin letters, for a server without a Chinese font. */
  tagLatin: string;
  title: string;
  /** The short line under the title: the craftsman's trade and title year, the campaign's dates. */
  line: string;
  /** Years and dates in digits (ASCII): what a server without a Chinese font draws under the kind of page (the line says it in Chinese). */
  note: string;
  /** The photo the page itself shows, or null; its digest keys the drawing, its bytes are read only to draw. */
  photo: { digest: string; load: () => Promise<Uint8Array | null> } | null;
}

const { width: W, height: H } = SHARE_CARD;
/** The square WeChat keeps: x from SQ to SQ + H. */
const SQ = (W - H) / 2;
const CX = W / 2;
const RED = "#b3261e";
const DEEP = "#8c1d17";
const PAPER = "#fffdf7";
const PHOTO = 180;
const MAX_PIXELS = 100_000_000;
/** Raised when the drawing changes, so that every cached card and ETag changes with it. */
const DRAWING = 1;

/** The platform's mark, 匠 in a red seal as the favicon has it, drawn as strokes so that it needs no font. */
function mark(x: number, y: number, size: number, { seal = true, ink = "#fff" } = {}): string {
  const strokes = ["M16 20H84", "M20 20V82", "M16 82H88", "M64 30L38 37", "M38 37V52Q38 66 29 74", "M38 52H78", "M60 52V76"];
  return `<g transform="translate(${x} ${y}) scale(${size / 100})">${seal ? `<rect width="100" height="100" rx="18" fill="${RED}"/>` : ""}<path d="${strokes.join(" ")}" fill="none" stroke="${ink}" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/></g>`;
}

/** At most `max` lines of `text` wrapped at `width` em, the last cut with an ellipsis. */
function lines(text: string, width: number, max: number): string[] {
  const all = wrap(text, width);
  if (all.length <= max) return all;
  const kept = all.slice(0, max);
  kept[max - 1] = `${[...kept[max - 1]!].slice(0, -1).join("")}…`;
  return kept;
}

const host = () => new URL(publicAddress()).host;

/** The card's SVG, and where its photo goes (the top of the body, when there is one). */
export function cardSvg(face: Omit<CardFace, "photo">, { chinese, photo }: { chinese: boolean; photo: boolean }): { svg: string; photoTop: number } {
  const body: string[] = [];
  // The body's blocks, stacked and centred between the header (y 120) and the footer (y 575).
  const blocks: Array<{ height: number; draw: (top: number) => string }> = [];
  if (photo) blocks.push({ height: PHOTO + 24, draw: () => "" });
  else if (!chinese) blocks.push({ height: 190, draw: (top) => mark(CX - 80, top, 160) });
  if (chinese) {
    const tagWidth = [...face.tag].length * 26 + 48;
    blocks.push({
      height: 68,
      draw: (top) =>
        `<rect x="${CX - tagWidth / 2}" y="${top}" width="${tagWidth}" height="44" rx="22" fill="${RED}"/><text x="${CX}" y="${top + 31}" font-size="26" fill="#fff" text-anchor="middle">${escape(face.tag)}</text>`,
    });
    // Beside a photo the title (a name) has one line and the line two, so that all of it stays in the square.
    const title = lines(face.title, 9.6, photo ? 1 : 2);
    blocks.push({
      height: title.length * 68 + 10,
      draw: (top) =>
        title
          .map((l, i) => `<text x="${CX}" y="${top + 56 + i * 68}" font-size="56" font-weight="bold" fill="#1f2328" text-anchor="middle">${escape(l)}</text>`)
          .join(""),
    });
    const line = face.line ? lines(face.line, 19, photo ? 2 : 3) : [];
    if (line.length)
      blocks.push({
        height: line.length * 40 + 8,
        draw: (top) =>
          line.map((l, i) => `<text x="${CX}" y="${top + 32 + i * 40}" font-size="28" fill="#4b5563" text-anchor="middle">${escape(l)}</text>`).join(""),
      });
  } else {
    blocks.push({
      height: 64,
      draw: (top) => `<text x="${CX}" y="${top + 48}" font-size="48" font-weight="bold" fill="#1f2328" text-anchor="middle">${escape(face.tagLatin)}</text>`,
    });
  }
  if (face.note && !chinese) {
    blocks.push({
      height: 44,
      draw: (top) => `<text x="${CX}" y="${top + 32}" font-size="28" fill="${DEEP}" text-anchor="middle">${escape(face.note)}</text>`,
    });
  }
  const total = blocks.reduce((sum, b) => sum + b.height, 0);
  let top = Math.round(120 + Math.max(0, (455 - total) / 2));
  const photoTop = top;
  for (const block of blocks) {
    body.push(block.draw(top));
    top += block.height;
  }
  const wing = chinese
    ? [..."台州工匠"].map((ch, i) => `<text x="${W - SQ / 2}" y="${190 + i * 92}" font-size="72" fill="#fff" text-anchor="middle">${ch}</text>`).join("")
    : mark(W - SQ / 2 - 75, H / 2 - 75, 150, { seal: false });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONTS}">
<rect width="${W}" height="${H}" fill="${RED}"/>
<rect x="${SQ}" width="${H}" height="${H}" fill="${PAPER}"/>
${mark(SQ / 2 - 75, H / 2 - 75, 150, { seal: false })}
${wing}
${mark(SQ + 40, 36, 56)}
<text x="${SQ + 112}" y="${76}" font-size="${chinese ? 28 : 24}" fill="${DEEP}">${chinese ? "匠心 · 台州工匠服务平台" : "JIANGXIN · TAIZHOU CRAFTSMAN"}</text>
<line x1="${SQ + 40}" y1="112" x2="${SQ + H - 40}" y2="112" stroke="#e8d9c4" stroke-width="2"/>
${body.join("\n")}
<text x="${CX}" y="${H - 28}" font-size="20" fill="#6b7280" text-anchor="middle">${escape(host())}</text>
</svg>`;
  return { svg, photoTop };
}

/** The photo as a rounded square of PHOTO px, or null when it cannot be read (the card is drawn without it). */
async function roundedPhoto(bytes: Uint8Array): Promise<Buffer | null> {
  try {
    const mask = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO}" height="${PHOTO}"><rect width="${PHOTO}" height="${PHOTO}" rx="24"/></svg>`,
    );
    return await sharp(bytes, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize(PHOTO, PHOTO, { fit: "cover", position: "attention" })
      .composite([{ input: mask, blend: "dest-in" }])
      .png()
      .toBuffer();
  } catch {
    return null;
  }
}

async function draw(face: CardFace, chinese: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = face.photo ? await face.photo.load() : null;
  const photo = bytes ? await roundedPhoto(bytes) : null;
  const { svg, photoTop } = cardSvg(face, { chinese, photo: !!photo });
  let image = sharp(Buffer.from(svg));
  if (photo) image = image.composite([{ input: photo, left: CX - PHOTO / 2, top: photoTop }]);
  return new Uint8Array(await image.png({ compressionLevel: 9, palette: !photo }).toBuffer());
}

/*
 * Drawn cards, kept in memory by what they show (LRU, at most CACHE_BYTES): a card is drawn once per
 * process and version of its page, not per visitor. Drawing (librsvg, PNG encoding) runs in libvips'
 * own threads, never on the event loop; one card is drawn at a time per process, identical requests
 * wait for the same drawing, and past MAX_WAITING the request is told to come back (503) rather than
 * queued without end — a crawler walking every profile cannot take the threads the photo uploads need.
 */
const CACHE_BYTES = 32 * 1024 * 1024;
const MAX_WAITING = 16;
/** Drawn cards by key, least recently used first (a Map keeps its order of insertion). */
const cache = new Map<string, { png: Uint8Array<ArrayBuffer>; address: string }>();
/** The key each address was last drawn under: a page's new version replaces its old card at once. */
const keyOf = new Map<string, string>();
let cachedBytes = 0;
const drawing = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
let queue: Promise<unknown> = Promise.resolve();

function drop(key: string) {
  const entry = cache.get(key);
  if (!entry) return;
  cache.delete(key);
  cachedBytes -= entry.png.length;
  if (keyOf.get(entry.address) === key) keyOf.delete(entry.address);
}

function remember(key: string, address: string, png: Uint8Array<ArrayBuffer>) {
  const previous = keyOf.get(address);
  if (previous && previous !== key) drop(previous);
  cache.set(key, { png, address });
  keyOf.set(address, key);
  cachedBytes += png.length;
  for (const old of cache.keys()) {
    if (cachedBytes <= CACHE_BYTES) break;
    drop(old);
  }
}

/**
 * A card whose page is no longer public (consent withdrawn, a title revoked) leaves the memory at the
 * first request that finds it so: a withdrawn photo is not kept, even where nobody could be served it.
 */
export function forgetShareCard(request: Request): void {
  const key = keyOf.get(new URL(request.url).pathname);
  if (key) drop(key);
}

function drawn(key: string, address: string, face: CardFace, chinese: boolean): Promise<Uint8Array<ArrayBuffer>> | null {
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the Map's order is the eviction order.
    cache.delete(key);
    cache.set(key, hit);
    return Promise.resolve(hit.png);
  }
  const pending = drawing.get(key);
  if (pending) return pending;
  if (drawing.size >= MAX_WAITING) return null;
  const turn = queue.then(() => draw(face, chinese));
  queue = turn.catch(() => {});
  const settled = turn.then(
    (png) => {
      drawing.delete(key);
      remember(key, address, png);
      return png;
    },
    (error: unknown) => {
      drawing.delete(key);
      throw error;
    },
  );
  drawing.set(key, settled);
  return settled;
}

/** Whether a card is held in memory for this address (for the tests of forgetting). */
export function shareCardHeld(path: string): boolean {
  return keyOf.has(path);
}

/** The key of a card: everything it shows (the photo by its digest), how it is drawn, and where. */
export function cardKey(face: CardFace, chinese: boolean): string {
  const { photo, ...text } = face;
  return createHash("sha256")
    .update(JSON.stringify({ DRAWING, chinese, host: host(), ...text, photo: photo?.digest ?? null }))
    .digest("base64url")
    .slice(0, 32);
}

/**
 * The card as a response: kept a minute by anyone (the page's own rule, so that a withdrawn consent
 * or a revoked title is off the card within a minute), with an ETag of what it shows, so a reader
 * that asks again gets a 304 without a drawing.
 */
export async function shareCardResponse(request: Request, face: CardFace, chinese = serverHasChineseFont()): Promise<Response> {
  const key = cardKey(face, chinese);
  const headers = { "Cache-Control": "public, max-age=60", ETag: `"${key}"`, "X-Content-Type-Options": "nosniff" };
  const asked = request.headers.get("if-none-match");
  if (asked && asked.split(",").some((tag) => tag.trim().replace(/^W\//, "") === headers.ETag)) return new Response(null, { status: 304, headers });
  const png = drawn(key, new URL(request.url).pathname, face, chinese);
  if (!png)
    return new Response("请稍后再试", {
      status: 503,
      headers: { "Retry-After": "5", "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" },
    });
  return new Response(await png, { headers: { ...headers, "Content-Type": SHARE_CARD.type } });
}

export type CardAddress = { kind: "page"; name: PageCard } | { kind: RecordCard; id: number };

/** A card's address from its path (here, not in lib/og: the pages' bundles need none of it) (/og/<kind>/<name or id>.png), or null for anything that is not one. */
export function cardAddress(kind: string | undefined, file: string | undefined): CardAddress | null {
  const match = /^([a-z-]{1,30}|[1-9]\d{0,9})\.png$/.exec(file ?? "");
  if (!match) return null;
  const key = match[1]!;
  if (kind === "page") return (PAGE_CARDS as readonly string[]).includes(key) ? { kind, name: key as PageCard } : null;
  const record = RECORD_CARDS.find((k) => k === kind);
  const id = idOrNull(key);
  return record && id !== null ? { kind: record, id } : null;
}
