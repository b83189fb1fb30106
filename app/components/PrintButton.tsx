/** Opens the browser's print dialog for the page (the page's print styles lay it out for paper). */
export function PrintButton({ label, primary }: { label: string; primary?: boolean }) {
  return (
    <button type="button" className={primary ? "button primary" : "button"} onClick={() => window.print()}>
      {label}
    </button>
  );
}
