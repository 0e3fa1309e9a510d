import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", "api-docs/", "examples/**/cdktf.out/"] },
  js.configs.recommended,
  // The type-checked preset: it sees through types, so an `any` from JSON or a forgotten
  // promise is caught where plain syntax rules cannot see it.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // The Pulumi example is its own project (its package comes from npm install there): linted
    // against the root tsconfig, whose paths point alicloud-ram-scim at lib/.
    files: ["examples/pulumi/**/*.ts"],
    languageOptions: { parserOptions: { projectService: false, project: "./tsconfig.json" } },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    rules: {
      // An async function without await is how this code meets a promise-returning contract
      // (Pulumi's provider methods, close()); the rules that catch real promise mistakes
      // (no-floating-promises, no-misused-promises, await-thenable) stay on.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
);
