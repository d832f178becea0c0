// Command gorch is a Jupyter kernel for Go, with a PyTorch-like tensor
// package preloaded.
//
// Usage:
//
//	gorch install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--uninstall]
//	gorch kernel -f CONNECTION_FILE
//	gorch version
//
// install writes the kernelspec where Jupyter finds it (the user's data
// directory unless a flag says otherwise); Jupyter then runs `gorch kernel`
// with a connection file for each notebook.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/gorch/gorch/kernel"
	"github.com/gorch/gorch/kernel/eval"
	"github.com/gorch/gorch/kernelspec"
)

// version is set at link time with -ldflags "-X main.version=v1.2.3"; else
// the module version from the build info is used.
var version string

const usage = `usage:
  gorch install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--uninstall]
  gorch kernel -f CONNECTION_FILE
  gorch version
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "install":
		err = install(args, os.Stdout)
	case "kernel":
		err = runKernel(args)
	case "version":
		fmt.Printf("gorch %s (%s %s/%s)\n", getVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "gorch: unknown command %q\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gorch %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func getVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// install writes or, with --uninstall, removes the kernelspec.
func install(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	user := fs.Bool("user", false, "install for the current user (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "install into the prefix of the Python environment that runs Jupyter")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter/kernels")
	name := fs.String("name", kernelspec.DefaultName, "kernel `NAME`")
	uninstall := fs.Bool("uninstall", false, "remove the kernelspec instead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	n := 0
	for _, set := range []bool{*user, *sysPrefix, *prefix != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("--user, --sys-prefix and --prefix exclude each other")
	}
	var dir string
	var err error
	switch {
	case *prefix != "":
		dir = kernelspec.PrefixDir(*prefix)
	case *sysPrefix:
		dir, err = kernelspec.SysPrefixDir()
	default:
		dir, err = kernelspec.UserDir()
	}
	if err != nil {
		return err
	}
	if *uninstall {
		removed, err := kernelspec.Uninstall(dir, *name)
		if err == nil {
			fmt.Fprintf(stdout, "Removed kernelspec %s from %s\n", *name, removed)
		}
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	installed, err := kernelspec.Install(dir, *name, exe)
	if err == nil {
		fmt.Fprintf(stdout, "Installed kernelspec %s in %s\n", *name, installed)
	}
	return err
}

// runKernel serves one connection file until the client shuts it down. From
// the moment file descriptors 1 and 2 go to the notebook, the kernel's own
// messages go to the original standard error, where Jupyter logs them.
func runKernel(args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	connFile := fs.String("f", "", "connection `FILE` written by the Jupyter client")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *connFile == "" {
		return errors.New("missing -f CONNECTION_FILE")
	}
	ci, err := kernel.ReadConnectionFile(*connFile)
	if err != nil {
		return err
	}
	out, err := kernel.RedirectStdio()
	if err != nil {
		return err
	}
	logger := log.New(out.Stderr(), "gorch: ", log.LstdFlags|log.Lmicroseconds)
	if err := serve(ci, out, logger); err != nil {
		logger.Print(err)
		os.Exit(1)
	}
	return nil
}

func serve(ci *kernel.ConnectionInfo, out *kernel.Output, logger *log.Logger) error {
	ev, err := eval.New()
	if err != nil {
		return err
	}
	k, err := kernel.New(kernel.Config{
		Connection: ci,
		Evaluator:  ev,
		Output:     out,
		Log:        logger,
		Version:    getVersion(),
	})
	if err != nil {
		return err
	}
	go exitWithParent(logger)
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	go func() {
		for range sigint {
			k.Interrupt()
		}
	}()
	return k.Run(context.Background())
}

// exitWithParent ends the kernel when the process that started it (the
// notebook server, a console) dies without shutting it down, as ipykernel's
// parent poller does: the orphan is adopted by another process, which
// changes its parent pid.
func exitWithParent(logger *log.Logger) {
	parent := os.Getppid()
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			logger.Print("the parent process exited; shutting down")
			os.Exit(0)
		}
	}
}
