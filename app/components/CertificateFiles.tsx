import { PrintButton } from "~/components/PrintButton";

/**
 * A certificate to keep: inside WeChat there is no print, so the certificate is also a picture
 * (an <img>, which WeChat saves on a long press) and a PDF to download. The printable sheet
 * stays for the desktop's print.
 */
export function CertificateFiles({ title, image, pdf, text }: { title: string; image: string; pdf: string | null; text: string }) {
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
