import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// A fixed key, so tests never touch a developer's ./data/encryption.key.
process.env.APP_ENCRYPTION_KEY ??= "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "jiangxin-test-"));
