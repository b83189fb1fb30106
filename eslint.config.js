import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "data/", "node_modules/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Chinese forms use the ideographic space (U+3000) in their text on purpose.
      "no-irregular-whitespace": ["error", { skipJSXText: true, skipStrings: true, skipTemplates: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // The database layer works on any schema: migrations are frozen against no current types, backups read whatever tables exist.
    files: ["db/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ["app/**/*.{ts,tsx}", "seeds/**/*.ts"],
    // lib/time is where these idioms are written, once.
    ignores: ["**/*.test.{ts,tsx}", "app/lib/time.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='parse']",
          message: "Dates typed by people go through isRealDate (~/lib/time) or isoDate (~/lib/validation).",
        },
        { selector: "CallExpression[callee.property.name='getFullYear']", message: "Years follow Taizhou time: yearInTaizhou() from ~/lib/time." },
        {
          selector: "NewExpression[callee.name='Date'] > TemplateLiteral",
          message: "Instants of Taizhou days and years come from ~/lib/time (startOfDay, endOfDay, startOfYear, fromDateTimeLocal).",
        },
      ],
    },
  },
);
