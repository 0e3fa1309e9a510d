/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  testTimeout: 30000,
  // The examples import the package by name, as users do.
  moduleNameMapper: {
    "^alicloud-ram-scim$": "<rootDir>/lib/index.ts",
    "^alicloud-ram-scim/(emulator|pulumi|cdktf)$": "<rootDir>/lib/$1/index.ts",
  },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
