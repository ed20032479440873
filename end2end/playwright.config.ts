import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright never downloads a browser here.
const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    locale: 'pl-PL',
    trace: 'off',
  },
  projects: [
    {
      // A 10-inch tablet, the managers' device.
      name: 'tablet',
      testIgnore: [/.*\.nojs\.spec\.ts/, /.*\.bench\.ts/],
      use: { ...chromium, viewport: { width: 768, height: 1024 }, hasTouch: true },
    },
    {
      // Benchmark mode (`scripts/bench-browser`): timings, not pass/fail; never part
      // of the test command.
      name: 'bench',
      testMatch: /.*\.bench\.ts/,
      use: { ...chromium, viewport: { width: 1280, height: 800 } },
    },
    {
      name: 'no-javascript',
      testMatch: /.*\.nojs\.spec\.ts/,
      use: { ...chromium, javaScriptEnabled: false, viewport: { width: 1280, height: 800 } },
    },
  ],
});
