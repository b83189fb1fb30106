import type { ReactNode } from "react";
import { PrintButton } from "~/components/PrintButton";
import { QrCode } from "~/components/QrCode";

/**
 * A certificate to keep: inside WeChat there is no print, so the certificate is also a picture
 * (an <img>, which WeChat saves on a long press) and a PDF to download. The printable sheet
 * stays for the desktop's print.
 */
function CertificateFiles({ title, image, pdf, text }: { title: string; image: string; pdf: string | null; text: string }) {
  return (
    <div className="certificate-files no-print">
      <h1>{title}</h1>
      <p className="actions">
        {pdf ? (
          <a className="button primary" href={pdf} download>
            下载 PDF
          </a>
        ) : null}
        <a className="button" href={image} download>
          下载图片
        </a>
        <PrintButton label="打印证书" />
      </p>
      <p className="hint">在微信中打开时：长按下方证书图片，选择“保存图片”，即可存入手机相册。</p>
      <img className="certificate-image" src={image} alt={text} width={1240} height={1754} />
    </div>
  );
}

/** What the printed sheet says around its body: the heading, who issued it and when, and how to check it. */
interface SheetFace {
  heading: string;
  issuer: string;
  date: string;
  number: string;
  checkAt: string;
}

/**
 * A certificate's page: the files to keep on the screen, and on paper the sheet with its body
 * (`children`), issuer, date and the QR that opens its check page.
 */
export function CertificatePage({
  title,
  base,
  pdf,
  text,
  face,
  qr,
  children,
}: {
  title: string;
  /** The page's own path; its picture and PDF are under it. */
  base: string;
  pdf: boolean;
  text: string;
  face: SheetFace;
  qr: string;
  children: ReactNode;
}) {
  return (
    <section className="certificate">
      <CertificateFiles title={title} image={`${base}/image`} pdf={pdf ? `${base}/pdf` : null} text={text} />
      <div className="certificate-sheet print-only">
        <h1>{face.heading}</h1>
        {children}
        <p className="certificate-issuer">
          {face.issuer}
          <br />
          {face.date}
        </p>
        <div className="certificate-check">
          <QrCode svg={qr} label="核验二维码" />
          <p className="certificate-code">
            证书编号 <span className="mono">{face.number}</span>
            <br />
            扫码或访问 <span className="mono">{face.checkAt}</span> 核验
          </p>
        </div>
      </div>
    </section>
  );
}
