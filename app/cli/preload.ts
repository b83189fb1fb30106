import { installRouteMatchingMemos } from "./route-matching";

// Imported first by serve.ts: the router must be loaded with its memos before Remix requires it.
installRouteMatchingMemos();
