import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { certificateImageResponse, certificatePdfResponse, chineseFontIn, type CertificateFace } from "~/lib/certificate-file.server";

const face: CertificateFace = {
  heading: "证　书",
  paragraphs: ["王<建国> 同志于 2026-04-18 参加“数控加工技艺交流会”，计 6 学时。", "特发此证。"],
  issuer: "温岭市总工会",
  date: "2026-04-18",
  number: "JX7K2M9QAB3D",
  checkAt: "http://localhost:3000/verify?code=JX7K2M9QAB3D&x=1",
};

describe("a certificate on a server without a Chinese font", () => {
  it("finds a CJK font where distributions install one, and none in a bare folder", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fonts-"));
    expect(chineseFontIn([root, path.join(root, "missing")])).toBe(false);
    fs.mkdirSync(path.join(root, "truetype", "wqy"), { recursive: true });
    fs.writeFileSync(path.join(root, "truetype", "dejavu.ttf"), "");
    expect(chineseFontIn([root])).toBe(false);
    fs.writeFileSync(path.join(root, "truetype", "wqy", "wqy-microhei.ttc"), "");
    expect(chineseFontIn([root])).toBe(true);
    fs.rmSync(root, { recursive: true });
  });

  it("sends the picture as SVG for the phone to draw with its own fonts, and says in Chinese why there is no PDF", async () => {
    const image = await certificateImageResponse(face, false);
    expect(image.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    const svg = await image.text();
    expect(svg).toContain("王&lt;建国&gt; 同志于");
    expect(svg).toContain("JX7K2M9QAB3D");
    expect(svg).not.toMatch(/<script|<建国>|&x=1/);
    const pdf = await certificatePdfResponse(face, "证书.pdf", false);
    expect(pdf.status).toBe(503);
    expect(await pdf.text()).toContain("服务器未安装中文字体");
  });
});
