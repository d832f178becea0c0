// lab.js drives a kernel through @jupyterlab/services, the kernel client
// JupyterLab itself uses, against a running jupyter_server.
//
//   node lab.js BASE_URL TOKEN KERNEL_NAME
//
// It runs the scenario in checks below and prints one JSON object
// {"results": [{name, ok, detail}]} on stdout; the Go test decides what
// passes. Node has fetch but (before Node 22) no WebSocket, so the ws
// package supplies it.
'use strict';

const { KernelManager, ServerConnection } = require('@jupyterlab/services');
const WebSocket = require('ws');

const [baseUrl, token, kernelName] = process.argv.slice(2);

// The services library logs connection events on the console; keep stdout
// for the JSON result.
console.log = console.info = console.debug = console.warn = console.error;

// execute runs code and collects the iopub messages of that request by type,
// with the shell reply.
async function execute(kernel, code) {
  const iopub = [];
  const future = kernel.requestExecute({ code, stop_on_error: false });
  future.onIOPub = (msg) => iopub.push({ type: msg.header.msg_type, content: msg.content });
  const reply = await future.done;
  return { reply: reply.content, iopub };
}

function outputs(run, type) {
  return run.iopub.filter((m) => m.type === type).map((m) => m.content);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    token,
    appendToken: true,
    WebSocket,
  });
  const manager = new KernelManager({ serverSettings });
  const results = [];
  const check = (name, ok, detail) => results.push({ name, ok: !!ok, detail });
  const scenario = JSON.parse(require('fs').readFileSync(0, 'utf8'));

  const kernel = await withTimeout(manager.startNew({ name: kernelName }), 60000, 'start kernel');
  try {
    const info = await withTimeout(kernel.info, 60000, 'kernel_info');
    check('kernel_info', info.implementation !== undefined, info.language_info);

    const stream = await execute(kernel, scenario.stream);
    const texts = outputs(stream, 'stream');
    check('stream', texts.some((s) => s.name === 'stdout' && s.text.includes(scenario.streamText)), texts);

    const html = await execute(kernel, scenario.html);
    const results_ = outputs(html, 'execute_result');
    check('execute_result html',
      results_.length === 1 && results_[0].data['text/html'] !== undefined && results_[0].data['text/plain'] !== undefined,
      results_.map((r) => Object.keys(r.data)));

    // Display messages as sent, which nbconvert's saved notebooks do not
    // show: an update names the display it replaces, and clear_output
    // comes before the output that follows it.
    const shown = await execute(kernel, scenario.display);
    const kinds = shown.iopub.map((m) => m.type).filter((t) => t !== 'status' && t !== 'execute_input');
    const first = outputs(shown, 'display_data')[0];
    const update = outputs(shown, 'update_display_data')[0];
    const id = first && first.transient && first.transient.display_id;
    check('update_display_data',
      id && update && update.transient.display_id === id && update.data['text/plain'] === scenario.updatedText,
      { first, update });
    check('clear_output',
      kinds.indexOf('clear_output') > kinds.indexOf('update_display_data') && kinds.indexOf('clear_output') < kinds.lastIndexOf('stream'),
      kinds);

    const err = await execute(kernel, scenario.error);
    const errors = outputs(err, 'error');
    check('error', err.reply.status === 'error' && errors.length === 1 && errors[0].evalue.includes(scenario.errorText),
      { reply: err.reply.status, errors });

    // Interrupt a cell that would otherwise run for a long time, then check
    // the kernel still works and kept its state.
    const setup = await execute(kernel, scenario.define);
    check('define', setup.reply.status === 'ok', setup.reply);
    const longFuture = kernel.requestExecute({ code: scenario.long, stop_on_error: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await withTimeout(kernel.interrupt(), 30000, 'interrupt');
    const longReply = await withTimeout(longFuture.done, 30000, 'interrupted cell');
    check('interrupt', longReply.content.status === 'error', longReply.content);
    const after = await execute(kernel, scenario.useDefined);
    check('state kept after interrupt',
      outputs(after, 'execute_result').some((r) => r.data['text/plain'].includes(scenario.definedText)),
      outputs(after, 'execute_result'));

    // Restart: the kernel comes back and the old state is gone.
    await withTimeout(kernel.restart(), 60000, 'restart');
    await withTimeout(kernel.info, 60000, 'kernel_info after restart');
    const gone = await execute(kernel, scenario.useDefined);
    check('state gone after restart', gone.reply.status === 'error', gone.reply);
    const again = await execute(kernel, scenario.stream);
    check('runs after restart', outputs(again, 'stream').some((s) => s.text.includes(scenario.streamText)), again.reply);
  } finally {
    await kernel.shutdown().catch(() => {});
    manager.dispose();
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
  // Reconnection timers of the disposed connection would keep node alive.
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`lab.js: ${e.stack || e}\n`);
  process.exit(1);
});
