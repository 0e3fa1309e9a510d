const base = {
  testEnvironment: "node",
  // The e2e tools' own tree (cdktf-cli, cdktn-cli: ~800 MB) is not ours to crawl.
  modulePathIgnorePatterns: ["<rootDir>/test/e2e/tools/"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/tools/"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
};

// The examples import the package by name, as users do.
const packageNames = {
  "^alicloud-ram-scim$": "<rootDir>/lib/index.ts",
  "^alicloud-ram-scim/(emulator|pulumi|cdktf)$": "<rootDir>/lib/$1/index.ts",
  // The cdktn entry as built (pretest builds): the cdktf source with its imports on cdktn.
  "^alicloud-ram-scim/cdktn$": "<rootDir>/dist/cdktn/index.js",
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  projects: [
    {
      ...base,
      displayName: "main",
      roots: ["<rootDir>/test"],
      testMatch: ["**/*.test.ts"],
      moduleNameMapper: packageNames,
    },
    {
      // The constructs' one source, run against CDK Terrain: "cdktf" loads cdktn.
      ...base,
      displayName: "cdktn",
      roots: ["<rootDir>/test/cdktf"],
      testMatch: ["**/synth.test.ts"],
      moduleNameMapper: { ...packageNames, "^cdktf$": "cdktn", "^cdktf/(.*)$": "cdktn/$1" },
    },
  ],
};
