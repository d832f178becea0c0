// notebook.js opens a notebook in classic Jupyter Notebook in headless
// Chromium, runs all cells and reports what the page shows.
//
//   node notebook.js NOTEBOOK_URL SCREENSHOT_PATH
//
// NOTEBOOK_URL carries the token. The screenshot shows the first tensor
// table of a few rows; SCREENSHOT_PATH with -full before .png gets the whole page. It prints one JSON object on stdout:
// {cells, executed, htmlTables, errors, outputTypes}; the Go test decides
// what passes.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [url, screenshot] = process.argv.slice(2);
const timeout = 180000;

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gorch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    // Keep Chromium off the network except for the notebook server, and
    // usable as root in a container.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e}\n`));
    await page.goto(url, { timeout });
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
      && Jupyter.notebook.kernel.is_connected(), null, { timeout });
    // Run from a clean slate, so that what we inspect was produced now and
    // not saved in the file.
    await page.evaluate(() => {
      Jupyter.notebook.clear_all_output();
      Jupyter.notebook.execute_all_cells();
    });
    // Done when no cell waits ('*') and the kernel is idle. A failing cell
    // makes the kernel abort the cells queued after it, which never get a
    // number: the report counts them.
    await page.waitForFunction(() => Jupyter.notebook.get_cells()
      .every((c) => c.cell_type !== 'code' || c.input_prompt_number !== '*')
      && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null,
    null, { timeout, polling: 250 });
    const report = await page.evaluate(() => {
      const code = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
      const types = new Set();
      for (const c of code) for (const o of c.output_area.outputs) types.add(o.output_type);
      return {
        cells: code.length,
        executed: code.filter((c) => typeof c.input_prompt_number === 'number').length,
        htmlTables: document.querySelectorAll('.output_html table').length,
        svgImages: document.querySelectorAll('.output_svg svg, .output_html svg').length,
        errors: Array.from(document.querySelectorAll('.output_error')).map((e) => e.innerText),
        outputTypes: Array.from(types).sort(),
      };
    });
    // The whole page for the record, and one screen around the first tensor
    // table for the README.
    // The notebook scrolls inside #site, so a full-page screenshot needs a
    // viewport as tall as the notebook.
    const height = await page.evaluate(() => document.querySelector('#site').scrollHeight
      + document.querySelector('#site').getBoundingClientRect().top);
    await page.setViewportSize({ width: 1280, height: Math.min(Math.ceil(height), 30000) });
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-full.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => {
      // The notebook scrolls inside #site, not the window.
      const tables = Array.from(document.querySelectorAll('.output_html table'));
      const table = tables.find((t) => t.rows.length >= 4) || tables[0];
      const site = document.querySelector('#site');
      if (table && site) {
        const cell = table.closest('.cell');
        site.scrollTop += cell.getBoundingClientRect().top - site.getBoundingClientRect().top - 320;
      }
    });
    await page.screenshot({ path: screenshot });
    process.stdout.write(JSON.stringify(report) + '\n');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`notebook.js: ${e.stack || e}\n`);
  process.exit(1);
});
