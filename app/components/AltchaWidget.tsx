import { useEffect, type DetailedHTMLProps, type HTMLAttributes } from "react";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      "altcha-widget": DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        challenge: string;
        name: string;
        language: string;
        configuration: string;
      };
    }
  }
}

/**
 * ALTCHA's proof-of-work widget. Its script (a web component with its workers) is fetched only
 * when a page that needs it has hydrated, so the vote page itself stays light on a weak network;
 * it puts its solved payload into the form as the hidden field `altcha`.
 */
export function AltchaWidget({ challengeUrl }: { challengeUrl: string }) {
  useEffect(() => {
    void import("altcha").then(() => import("altcha/i18n/zh-cn"));
  }, []);
  return (
    <div className="field">
      <altcha-widget
        challenge={challengeUrl}
        name="altcha"
        language="zh-cn"
        // No link out of the page, no logo to load: the vote page needs nothing from elsewhere.
        configuration={JSON.stringify({ hideFooter: true, hideLogo: true })}
      />
    </div>
  );
}
