/**
 * A stored file on a record: a photo as a small thumbnail (the file route's ?size=thumb) that
 * opens the photo viewer, fitted to the screen; a PDF as a link by its name.
 */
export function FileThumb({ href, name, type }: { href: string; name: string; type: string }) {
  if (!type.startsWith("image/")) {
    return (
      <a href={href} target="_blank" rel="noreferrer" className="file-link">
        {name}
      </a>
    );
  }
  return (
    <a href={viewerHref(href)} className="file-thumb">
      <img src={`${href}?size=thumb`} alt={name} width={96} height={96} loading="lazy" />
    </a>
  );
}

// The viewer takes the photo's own address only: no text of a link's making is shown on our pages.
function viewerHref(src: string): string {
  return `/photo?${new URLSearchParams({ src })}`;
}
