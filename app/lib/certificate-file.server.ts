import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { qrSvg } from "~/lib/qr.server";

/**
 * A certificate as files a craftsman can keep on a phone: a PNG to long-press and save (WeChat
 * has no print) and an A4 PDF. Both are drawn on the server from one SVG, rendered by sharp's
 * librsvg with the system's fonts (fontconfig); the PDF carries that picture at 150 dpi and the
 * certificate number as text. No font is shipped with the app: a CJK font of several MB does not
 * belong in the repository, and every server this runs on can install one from its distribution
 * (CI installs fonts-wqy-microhei). Where none is installed, `serverHasChineseFont` is false: the
 * image is then sent as the SVG itself, which the phone draws with its own fonts, and the PDF is
 * not offered (see app/modules/events/README.md).
 */

export interface CertificateFace {
  /** The heading, e.g. 荣誉证书 (spaced out as the page sets it). */
  heading: string;
  /** The body, paragraph by paragraph (wrapped here). */
  paragraphs: string[];
  issuer: string;
  date: string;
  number: string;
  /** The public check page for this certificate, printed as a QR and written out. */
  checkAt: string;
}

const WIDTH = 1240; // A4 at 150 dpi
const HEIGHT = 1754;
/** The CJK families fontconfig may find on a server (the share cards use them too: lib/share-card.server). */
export const FONTS = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Noto Serif CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

export const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Lines of at most `width` em: a CJK character is one em, other characters about half. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  for (const ch of text) {
    const w = ch.charCodeAt(0) < 0x100 ? 0.55 : 1;
    if (used + w > width && line) {
      lines.push(line);
      line = "";
      used = 0;
    }
    line += ch;
    used += w;
  }
  if (line) lines.push(line);
  return lines;
}

export async function certificateSvg(face: CertificateFace): Promise<string> {
  const body: string[] = [];
  let y = 560;
  for (const paragraph of face.paragraphs) {
    wrap(paragraph, 19).forEach((line, i) => {
      body.push(`<text x="${i === 0 ? 250 : 160}" y="${y}" font-size="48">${escape(line)}</text>`);
      y += 84;
    });
    y += 24;
  }
  const qr = (await qrSvg(face.checkAt)).replace("<svg ", `<svg x="160" y="1330" width="230" height="230" `);
  const checkLines = wrap(face.checkAt, 34);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONTS}" fill="#1f2328">
<rect width="${WIDTH}" height="${HEIGHT}" fill="#fffdf7"/>
<rect x="50" y="50" width="${WIDTH - 100}" height="${HEIGHT - 100}" fill="none" stroke="#b3261e" stroke-width="14"/>
<rect x="80" y="80" width="${WIDTH - 160}" height="${HEIGHT - 160}" fill="none" stroke="#b3261e" stroke-width="3"/>
<text x="${WIDTH / 2}" y="380" font-size="120" text-anchor="middle" fill="#8c1d17" letter-spacing="40">${escape(face.heading)}</text>
${body.join("\n")}
<text x="${WIDTH - 160}" y="${Math.max(y + 80, 1130)}" font-size="44" text-anchor="end">${escape(face.issuer)}</text>
<text x="${WIDTH - 160}" y="${Math.max(y + 150, 1200)}" font-size="44" text-anchor="end">${escape(face.date)}</text>
${qr}
<text x="420" y="1400" font-size="32">证书编号 ${escape(face.number)}</text>
<text x="420" y="1450" font-size="26" fill="#5f6b76">扫码或访问以下网址核验：</text>
${checkLines.map((line, i) => `<text x="420" y="${1495 + i * 38}" font-size="26" fill="#5f6b76">${escape(line)}</text>`).join("\n")}
</svg>`;
}

export async function certificatePng(face: CertificateFace): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(
    await sharp(Buffer.from(await certificateSvg(face)))
      .png({ compressionLevel: 9, palette: true })
      .toBuffer(),
  );
}

/**
 * An A4 PDF of one page: the certificate's picture (JPEG, so the PDF embeds it as it is) and,
 * over the printed number, the number as invisible text — found by search, copied by a reader.
 * Written out here: one page, one image and one font need no PDF library.
 */
export async function certificatePdf(face: CertificateFace): Promise<Uint8Array<ArrayBuffer>> {
  const jpeg = await sharp(Buffer.from(await certificateSvg(face)))
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 88 })
    .toBuffer();
  const [pageW, pageH] = [595.28, 841.89];
  const numberText = face.number.replace(/[^\x20-\x7e]/g, "").replace(/([()\\])/g, "\\$1");
  // The number's place on the picture (x 420, y 1400 of 1240×1754), in PDF points from the bottom.
  const at = `${((420 / WIDTH) * pageW).toFixed(2)} ${(pageH - (1400 / HEIGHT) * pageH).toFixed(2)}`;
  const content = `q ${pageW} 0 0 ${pageH} 0 0 cm /Im0 Do Q\nBT 3 Tr /F1 11 Tf ${at} Td (No. ${numberText}) Tj ET\n`;
  const utf16 = (text: string) => `<FEFF${Buffer.from(text, "utf16le").swap16().toString("hex").toUpperCase()}>`;
  const objects: Array<string | Buffer> = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pageW} ${pageH}] /Resources << /XObject << /Im0 4 0 R >> /Font << /F1 6 0 R >> >> /Contents 5 0 R >>`,
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width ${WIDTH} /Height ${HEIGHT} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
      ),
      jpeg,
      Buffer.from("\nendstream"),
    ]),
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Title ${utf16(`${face.heading.replace(/\s/g, "")} ${face.number}`)} /Subject (${numberText}) /Author ${utf16(face.issuer)} /Producer (Jiangxin) >>`,
  ];
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(offset);
    const bytes = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(object) ? object : Buffer.from(object), Buffer.from("\nendobj\n")]);
    parts.push(bytes);
    offset += bytes.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)].join("");
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

// Font files of the CJK families a Linux server installs from its distribution (WenQuanYi, Noto CJK, Source Han, Droid, AR PL).
const CJK_FONT = /(wqy|wenquanyi|notosanscjk|notoserifcjk|sourcehan|droidsansfallback|uming|ukai)/i;
const FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", path.join(process.env.HOME ?? "/root", ".fonts")];
let hasChineseFont: boolean | undefined;

/** Whether a CJK font file is under one of `dirs` (a few levels deep, as distributions install them). */
export function chineseFontIn(dirs: string[]): boolean {
  const found = (dir: string, depth: number): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isDirectory() ? depth < 4 && found(path.join(dir, e.name), depth + 1) : CJK_FONT.test(e.name)));
  };
  return dirs.some((dir) => found(dir, 0));
}

/** Whether the server can draw Chinese text: a CJK font is installed where fontconfig looks (looked up once per process). */
export function serverHasChineseFont(): boolean {
  hasChineseFont ??= chineseFontIn(FONT_DIRS);
  return hasChineseFont;
}

/** The certificate's picture: a PNG drawn here, or where the server has no Chinese font, the SVG for the phone to draw. */
export async function certificateImageResponse(face: CertificateFace, png = serverHasChineseFont()): Promise<Response> {
  return new Response(png ? await certificatePng(face) : await certificateSvg(face), {
    headers: {
      "Content-Type": png ? "image/png" : "image/svg+xml; charset=utf-8",
      "Content-Disposition": `inline; filename="certificate.${png ? "png" : "svg"}"`,
      "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}

export async function certificatePdfResponse(face: CertificateFace, filename: string, fonts = serverHasChineseFont()): Promise<Response> {
  if (!fonts)
    return new Response("服务器未安装中文字体，暂不能生成 PDF，请长按证书图片保存", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(await certificatePdf(face), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="certificate.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
