import { useLocation } from "@remix-run/react";
import { useEffect } from "react";

const inWechat = () => /MicroMessenger\//i.test(navigator.userAgent);
/** iOS's WeChat signs the JS-SDK for the address the page was entered with, not the one navigated to since. */
const entryUrl = typeof window === "object" ? window.location.href.split("#")[0] : "";

const metaOf = (selector: string) => document.querySelector<HTMLMetaElement>(selector)?.content || undefined;

/**
 * WeChat's share card for a public page (issue 36): inside WeChat only, and only when the platform
 * has an official account, the JS-SDK is fetched (its own chunk, after the page), configured with the
 * signature /wechat/share gives for this address, and handed the page's Open Graph title,
 * description, address and image. Pages without an `og:url` (the private ones) are not offered.
 * Nothing is loaded from WeChat's servers: the SDK is ours, and it speaks to WeChat's browser itself.
 */
export function WechatShare({ enabled }: { enabled: boolean }) {
  const location = useLocation();
  useEffect(() => {
    if (!enabled || !inWechat()) return;
    const link = metaOf('meta[property="og:url"]');
    if (!link) return;
    let current = true;
    const url = /iPhone|iPad|iPod/i.test(navigator.userAgent) ? entryUrl : window.location.href.split("#")[0];
    void (async () => {
      const response = await fetch(`/wechat/share?url=${encodeURIComponent(url)}`, { credentials: "same-origin" });
      if (!response.ok || !current) return;
      const config = (await response.json()) as { appId: string; timestamp: number; nonceStr: string; signature: string };
      const { default: wx } = await import("weixin-js-sdk");
      if (!current) return;
      wx.config({ debug: false, ...config, jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"] });
      wx.ready(() => {
        const title = metaOf('meta[property="og:title"]') ?? document.title;
        const imgUrl = metaOf('meta[property="og:image"]') ?? "";
        const done = () => {};
        wx.updateAppMessageShareData({ title, desc: metaOf('meta[property="og:description"]') ?? "", link, imgUrl, success: done });
        wx.updateTimelineShareData({ title, link, imgUrl, success: done });
      });
    })().catch(() => {
      // A share card is a nicety: WeChat's own card stands in when this fails.
    });
    return () => {
      current = false;
    };
  }, [enabled, location.pathname, location.search]);
  return null;
}
