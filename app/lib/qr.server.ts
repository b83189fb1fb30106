import QRCode from "qrcode";

/** A QR code as SVG markup (no script, no external resource), medium error correction for print and screens. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
}
