// Package frontends tests gorch through the programs people use it with:
// jupyter nbconvert executing the notebooks in notebooks/, classic Jupyter
// Notebook in headless Chromium, JupyterLab's kernel client
// (@jupyterlab/services) against jupyter_server, and jupyter console in a
// terminal. Each test starts the real programs itself, with the gorch kernel
// built from this checkout and registered in a temporary Jupyter directory,
// so nothing outside the test is read or changed.
//
// The node drivers (notebook.js, lab.js) need the modules of package.json:
// run npm ci here first (scripts/test.sh does).
package frontends
