import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { cardSvg, shareCardResponse, type CardFace } from "~/lib/share-card.server";

const face = (title: string, photo: CardFace["photo"] = null): CardFace => ({
  tag: "工匠工作室",
  tagLatin: "CRAFTSMAN STUDIO",
  title,
  line: "温岭某厂 · 温岭市 · 2026年授牌",
  note: "2026",
  photo,
});
const ask = () => new Request("http://jiangxin.test/og/studio/1.png");

describe("share cards", () => {
  it("draws no Chinese text where the server has no Chinese font (no boxes of missing glyphs), and still the PNG of the stated size", async () => {
    const chinese = cardSvg(face("测试工作室"), { chinese: true, photo: false }).svg;
    expect(chinese).toContain("测试工作室");
    const latin = cardSvg(face("测试工作室"), { chinese: false, photo: false }).svg;
    expect(latin).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    expect(latin).toContain("CRAFTSMAN STUDIO");
    expect(latin).toContain("2026");
    const response = await shareCardResponse(ask(), face("无字体工作室"), false);
    const png = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([response.headers.get("content-type"), png.width, png.height]).toEqual(["image/png", 1200, 630]);
  });

  it("draws a card once for requests that come together, and answers later ones from memory", async () => {
    let loads = 0;
    const photo = {
      digest: "once",
      load: async () => {
        loads++;
        return new Uint8Array(
          await sharp({ create: { width: 50, height: 50, channels: 3, background: "#1e90ff" } })
            .png()
            .toBuffer(),
        );
      },
    };
    const together = await Promise.all([1, 2, 3].map(() => shareCardResponse(ask(), face("一次画成", photo), false)));
    expect(together.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(loads).toBe(1);
    expect((await shareCardResponse(ask(), face("一次画成", photo), false)).status).toBe(200);
    expect(loads).toBe(1);
  });

  it("asks a reader to come back rather than queue drawings without end", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => shareCardResponse(ask(), face(`排队${i}`), false)));
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBe(4);
    expect(busy[0]!.headers.get("retry-after")).toBe("5");
    expect(answers.filter((r) => r.status === 200).length).toBe(16);
  });
});
