import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, searchParams } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "查看照片 · 匠心" }];

// Only the file routes this app serves photos from: the viewer shows nothing else.
const FILE_ROUTE = /^\/(evidence|studio-files|subsidy-files|showcase\/photos|showcase\/clippings)\/\d+$/;

/**
 * A stored photo fitted to the screen. Opened directly, a photo is shown at its own size (a
 * phone's 4000 px across, in WeChat too); here it is scaled to the page, with the original a tap
 * away. The photo itself is still fetched from its file route, which checks who may see it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { src = "" } = searchParams(request);
  if (!FILE_ROUTE.test(src)) throw notFound("照片不存在");
  return json({ src });
}

export default function PhotoViewer() {
  const { src } = useLoaderData<typeof loader>();
  return (
    <section className="photo-viewer">
      <h1>查看照片</h1>
      <img src={src} alt="照片" />
      <p className="actions">
        <a href={src} className="button" target="_blank" rel="noreferrer">
          查看原图
        </a>
      </p>
    </section>
  );
}
