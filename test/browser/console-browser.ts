import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../helpers/test-app';

export const ARTIFACTS = join(__dirname, '../../ui-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ConsoleHarness { app: TestApp; browser: Browser; base: string; page(): Promise<Page>; close(): Promise<void> }

/**
 * Baton on the embedded default with the demo definition and demo worker, listening on a
 * loopback port, and a headless Chromium. Fails at once with what to do when the console is not
 * built or chromium is missing, instead of timing out.
 */
export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  if (!existsSync(join(__dirname, '../../ui/dist/index.html'))) throw new Error('The console is not built: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run \`bash scripts/services.sh up chromium\` (apt) or set CHROMIUM_PATH`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const app = await startTestApp({
    DEFINITIONS_DIR: join(__dirname, '../../definitions'), DEMO_WORKER: 'true', CONSOLE_DIR: join(__dirname, '../../ui/dist'), ...env,
  });
  await app.app.listen(0, '127.0.0.1');
  const { port } = app.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const base = `http://127.0.0.1:${port}`;
  const pages: Page[] = [];
  return {
    app, browser, base,
    page: async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.setDefaultTimeout(15_000);
      pages.push(page);
      return page;
    },
    close: async () => {
      await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
      await browser.close();
      await app.close();
    },
  };
}

/**
 * The whole page, taken in a window as tall as the page. Chromium captures what lies beyond the
 * window with fixed boxes laid out in the window only, so a modal's backdrop (fixed, covering the
 * window at every scroll position) stopped short of the page's end in the picture.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  try {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  } finally {
    await page.setViewportSize(viewport);
  }
}
