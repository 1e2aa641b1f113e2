import 'server-only';
import { chromium } from 'playwright-core';

/** The flags the app's Chromium runs with (no sandbox in containers, nothing phoning home). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const RENDER_TIMEOUT_MS = 45_000;

/** One render at a time: Chromium is heavy and the machine small; later requests wait their turn. */
let queue: Promise<unknown> = Promise.resolve();

export interface RenderReportPdfOptions {
  /** Absolute URL of the report page (this server, loopback). */
  reportUrl: string;
  /** The caller's cookies, so the page renders with the caller's session and data scope. */
  cookies: readonly { name: string; value: string }[];
  paper: 'A4' | 'Letter';
}

/**
 * Renders the printable report to PDF in headless Chromium (playwright-core). Only loopback requests
 * are let through: the report page needs nothing else, and a PDF renderer must not fetch arbitrary URLs.
 */
export function renderReportPdf(options: RenderReportPdfOptions): Promise<Buffer> {
  const run = queue.then(() => render(options));
  queue = run.catch(() => undefined);
  return run;
}

async function render(options: RenderReportPdfOptions): Promise<Buffer> {
  const origin = new URL(options.reportUrl).origin;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: RENDER_TIMEOUT_MS });
  try {
    const context = await browser.newContext();
    await context.addCookies(options.cookies.map((cookie) => ({ name: cookie.name, value: cookie.value, url: origin })));
    await context.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    page.setDefaultTimeout(RENDER_TIMEOUT_MS);
    const response = await page.goto(options.reportUrl, { waitUntil: 'load' });
    if (!response || !response.ok()) throw new Error(`the report page answered ${response?.status() ?? 'nothing'}`);
    await page.waitForSelector('[data-testid="report"][data-state="ready"]');
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: options.paper, printBackground: true, margin: { top: '12mm', bottom: '14mm', left: '12mm', right: '12mm' }, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#555">flowlens posture report · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>' });
  } finally {
    await browser.close();
  }
}
