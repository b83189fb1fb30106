import path from "node:path";

const root = path.resolve(__dirname, "..");

/** What every suite's config shares: the repository as root, and the app's import aliases (~ and ~db). */
export const shared = {
  root,
  resolve: { alias: { "~db": path.join(root, "db"), "~": path.join(root, "app") } },
};
