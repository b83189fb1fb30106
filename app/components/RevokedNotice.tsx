/**
 * What a public page (the certificate check, a plaque's QR target) says of a revoked title: 已撤销, by
 * which document and on which day. Fed plain data; the reason stays on the platform (it may concern a person).
 */
export function RevokedNotice({ what, issuer, documentNumber, revokedOn }: { what: string; issuer: string; documentNumber: string; revokedOn: string }) {
  return (
    <div className="notice error" role="status">
      <p>
        <strong>已撤销</strong>
      </p>
      <p>
        {what}已于 {revokedOn} 由{issuer}以{documentNumber}撤销。
      </p>
    </div>
  );
}
