/**
 * A QR code made on the server (lib/qr.server) as SVG markup: our own, from an address of ours,
 * with no script and nothing from elsewhere — so it is set as markup rather than rebuilt in React.
 */
export function QrCode({ svg, label, className }: { svg: string; label: string; className?: string }) {
  return <div className={className ? `qr ${className}` : "qr"} role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />;
}
