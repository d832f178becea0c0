// Command bench compares gorch's tensor package with NumPy and PyTorch on
// this machine and writes the table to tensor/BENCHMARKS.md.
//
// Run it from the module root:
//
//	go run ./tensor/bench [-rounds 5] [-out tensor/BENCHMARKS.md]
//
// Each round runs the Go benchmarks (tensor and tensor/internal/gemm, on one
// core and on all), then compare.py under /usr/bin/python3 with NumPy in two
// BLAS settings and with PyTorch. Rounds interleave the contenders so that a
// burst of load elsewhere on the machine hits all of them alike, and every
// figure kept is the best over the rounds.
//
// The two NumPy settings are the environment's OPENBLAS_CORETYPE and the
// alternative: unset (OpenBLAS picks the kernels for this CPU, AVX-512 here)
// when the environment sets it, Haswell (AVX2 kernels) when it does not.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

const python = "/usr/bin/python3"

// tensorBench and gemmBench select the Go benchmarks the table uses.
const (
	tensorBench = `^Benchmark(Add10M|AddInplace10M|Sum10M|AddSmall|MatMul1024)$`
	gemmBench   = `^Benchmark[SD]gemm$/^(avx2|avx512)$/^(64|256|1024)$`
)

func main() {
	rounds := flag.Int("rounds", 5, "rounds of measurement; the best of them is kept")
	out := flag.String("out", "tensor/BENCHMARKS.md", "markdown file to write")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench: ")

	if err := chdirModuleRoot(); err != nil {
		log.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "gorch-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	r := newResults()
	gemmBin, err := buildTest(tmp, "./tensor/internal/gemm")
	if err != nil {
		log.Fatal(err)
	}
	tensorBin, err := buildTest(tmp, "./tensor")
	if err != nil {
		r.notes = append(r.notes, "tensor benchmarks not run: the tensor package's tests do not build ("+firstLine(err.Error())+").")
	}
	settings := numpySettings()
	r.loadBefore = loadAverage()
	for i := range *rounds {
		log.Printf("round %d of %d", i+1, *rounds)
		if err := r.goBench(gemmBin, gemmBench); err != nil {
			log.Fatal(err)
		}
		if tensorBin != "" {
			if err := r.goBench(tensorBin, tensorBench); err != nil {
				log.Fatal(err)
			}
		}
		for _, s := range settings {
			if err := r.python(s); err != nil {
				log.Fatal(err)
			}
		}
	}
	r.loadAfter = loadAverage()
	if tensorBin != "" && !r.has("Add10M-2/ns") {
		r.notes = append(r.notes, "the tensor package has none of the benchmarks "+tensorBench+" yet.")
	}
	md := r.markdown(settings, *rounds)
	if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Print(md)
}

// setting is one run of compare.py: which libraries, under which
// environment changes.
type setting struct {
	key   string   // result prefix, e.g. "numpy-env"
	label string   // column heading
	env   []string // KEY=VALUE to set; KEY= alone unsets
	libs  []string
}

// numpySettings returns the environment's setting (which also runs
// PyTorch), the alternative one, and each of them on one thread.
func numpySettings() []setting {
	env := os.Getenv("OPENBLAS_CORETYPE")
	main := setting{key: "env", label: "NumPy (OPENBLAS_CORETYPE unset)", libs: []string{"numpy", "torch"}}
	alt := setting{key: "alt", label: "NumPy (OPENBLAS_CORETYPE=Haswell, AVX2)", env: []string{"OPENBLAS_CORETYPE=Haswell"}, libs: []string{"numpy"}}
	if env != "" {
		main.label = "NumPy (OPENBLAS_CORETYPE=" + env + ")"
		alt = setting{key: "alt", label: "NumPy (OPENBLAS_CORETYPE unset)", env: []string{"OPENBLAS_CORETYPE="}, libs: []string{"numpy"}}
	}
	one := []string{"OPENBLAS_NUM_THREADS=1"}
	main1 := setting{key: "env1", label: main.label + ", one thread", env: one, libs: []string{"numpy"}}
	alt1 := setting{key: "alt1", label: alt.label + ", one thread", env: append(one, alt.env...), libs: []string{"numpy"}}
	return []setting{main, alt, main1, alt1}
}

// chdirModuleRoot moves to the module root, where the package paths and
// the default -out are rooted.
func chdirModuleRoot() error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return fmt.Errorf("run inside the gorch module")
	}
	return os.Chdir(filepath.Dir(mod))
}

func buildTest(dir, pkg string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg)+".test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c %s: %v\n%s", pkg, err, msg)
	}
	return bin, nil
}

// results keeps the best value seen of every measurement. Keys are Go
// benchmark names without the "Benchmark" prefix (with the -N GOMAXPROCS
// suffix) and "<setting>/<lib>/<field>" for Python.
type results struct {
	best                  map[string]float64
	higherBetter          map[string]bool
	info                  map[string]string
	notes                 []string
	loadBefore, loadAfter string
}

func newResults() *results {
	return &results{best: map[string]float64{}, higherBetter: map[string]bool{}, info: map[string]string{}}
}

func (r *results) add(key string, v float64, higher bool) {
	old, ok := r.best[key]
	r.higherBetter[key] = higher
	if !ok || (higher && v > old) || (!higher && v < old) {
		r.best[key] = v
	}
}

func (r *results) has(key string) bool { _, ok := r.best[key]; return ok }

// goBench runs one test binary's benchmarks on one core and on all. Each
// CPU count gets its own process with GOMAXPROCS set in the environment:
// with -test.cpu 1,2 in one process, the first sample of a b.Loop
// sub-benchmark runs under the GOMAXPROCS the previous one left behind,
// so "one core" figures would sometimes come from two.
func (r *results) goBench(bin, pattern string) error {
	for _, cpus := range []int{1, runtime.NumCPU()} {
		// Many short samples rather than one long one: the best sample is
		// the one least disturbed by other work on the machine.
		cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", pattern, "-test.cpu", strconv.Itoa(cpus),
			"-test.count", "10", "-test.benchtime", "50ms")
		cmd.Dir = filepath.Dir(bin)
		cmd.Env = environ([]string{"GOMAXPROCS=" + strconv.Itoa(cpus)})
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", filepath.Base(bin), err, out)
		}
		for _, b := range parseBench(out) {
			b.name += fmt.Sprintf("-%d", b.cpus)
			r.add(b.name+"/ns", b.metrics["ns/op"], false)
			if g, ok := b.metrics["GFLOP/s"]; ok {
				r.add(b.name+"/GFLOP/s", g, true)
			}
		}
	}
	return nil
}

// benchLine is one result line of `go test -bench`.
type benchLine struct {
	name    string // without "Benchmark" and without the -N suffix
	cpus    int    // GOMAXPROCS, 1 when there is no suffix
	metrics map[string]float64
}

var procSuffix = regexp.MustCompile(`-(\d+)$`)

// parseBench reads the result lines of `go test -bench` output; the name
// keeps its -N suffix stripped into cpus.
func parseBench(out []byte) []benchLine {
	var lines []benchLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		b := benchLine{name: strings.TrimPrefix(f[0], "Benchmark"), cpus: 1, metrics: map[string]float64{}}
		if m := procSuffix.FindStringSubmatch(b.name); m != nil {
			b.cpus, _ = strconv.Atoi(m[1])
			b.name = strings.TrimSuffix(b.name, m[0])
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				b.metrics[f[i+1]] = v
			}
		}
		lines = append(lines, b)
	}
	return lines
}

// python runs compare.py in one setting and records its figures.
func (r *results) python(s setting) error {
	cmd := exec.Command(python, append([]string{"tensor/bench/compare.py"}, s.libs...)...)
	cmd.Env = environ(s.env)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s compare.py (%s): %v\n%s", python, s.label, err, stderr.Bytes())
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		return fmt.Errorf("compare.py printed %q: %v", out, err)
	}
	for _, lib := range s.libs {
		var fields map[string]any
		if err := json.Unmarshal(got[lib], &fields); err != nil {
			return fmt.Errorf("compare.py: %s: %v", lib, err)
		}
		for k, v := range fields {
			key := s.key + "/" + lib + "/" + k
			f, isNum := v.(float64)
			switch {
			case isNum && strings.HasSuffix(k, "_gflops"):
				r.add(key, f, true)
			case isNum && strings.HasSuffix(k, "_s"):
				r.add(key, f, false)
			default:
				r.info[key] = fmt.Sprint(v)
			}
		}
	}
	return nil
}

// environ is this process's environment with changes applied: "K=V" sets,
// "K=" removes.
func environ(changes []string) []string {
	env := os.Environ()
	for _, c := range changes {
		k, v, _ := strings.Cut(c, "=")
		env = slices.DeleteFunc(env, func(e string) bool { return strings.HasPrefix(e, k+"=") })
		if v != "" {
			env = append(env, c)
		}
	}
	return env
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// row is one line of the comparison table. Figures are in the unit of the
// row; the ratio columns say how gorch's speed compares (above 1: faster).
type row struct {
	name   string
	unit   string
	scale  float64 // multiplies a Go figure (ns, or GFLOP/s) into unit
	higher bool    // true for rates such as GFLOP/s
	gorch  string  // result key of the Go figure
	py     string  // field of compare.py's output
	one    bool    // compare with the one-thread NumPy settings, no PyTorch
}

func (r *results) value(key string, scale float64) (float64, bool) {
	v, ok := r.best[key]
	return v * scale, ok
}

// fastest returns the key, among those with the given prefix and suffix,
// of the highest figure: the kernel a user gets is the fastest one the CPU
// runs.
func (r *results) fastest(prefix, suffix string) string {
	best, key := math.Inf(-1), prefix+"?"+suffix
	for k, v := range r.best {
		if strings.HasPrefix(k, prefix) && strings.HasSuffix(k, suffix) && v > best {
			best, key = v, k
		}
	}
	return key
}

func (r *results) markdown(settings []setting, rounds int) string {
	ncpu := runtime.NumCPU()
	all := fmt.Sprintf("-%d", ncpu)
	rows := []row{
		{"add 10M, out of place", "ms", 1e-6, false, "Add10M" + all + "/ns", "add10M_s", false},
		{"add 10M, in place", "ms", 1e-6, false, "AddInplace10M" + all + "/ns", "add_inplace10M_s", false},
		{"sum 10M", "ms", 1e-6, false, "Sum10M" + all + "/ns", "sum10M_s", false},
		{"per-op overhead, 2-element add", "µs", 1e-3, false, "AddSmall" + all + "/ns", "add_small_s", false},
		{"matmul 1024², tensor.MatMul, all cores", "GFLOP/s", 1, true, "MatMul1024" + all + "/GFLOP/s", "matmul1024_gflops", false},
		{"matmul 1024², tensor.MatMul, one core", "GFLOP/s", 1, true, "MatMul1024-1/GFLOP/s", "matmul1024_gflops", true},
		{"matmul 1024², gemm.Sgemm, all cores", "GFLOP/s", 1, true, r.fastest("Sgemm/", "/1024"+all+"/GFLOP/s"), "matmul1024_gflops", false},
		{"matmul 1024², gemm.Sgemm, one core", "GFLOP/s", 1, true, r.fastest("Sgemm/", "/1024-1/GFLOP/s"), "matmul1024_gflops", true},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# tensor benchmarks: gorch vs NumPy and PyTorch\n\n")
	fmt.Fprintf(&b, "Written by `go run ./tensor/bench` on %s. Float32 throughout; each figure is the best of %d interleaved rounds.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), rounds)
	fmt.Fprintf(&b, "Machine: %s, %d CPUs; %s; NumPy %s with BLAS %s; PyTorch %s (%s intra-op threads).\n",
		cpuModel(), ncpu, runtime.Version(), r.info["env/numpy/version"], r.info["env/numpy/blas"],
		r.info["env/torch/version"], r.info["env/torch/threads"])
	fmt.Fprintf(&b, "Load average before / after: %s / %s (other work on the machine slows every contender).\n\n", r.loadBefore, r.loadAfter)

	fmt.Fprintf(&b, "| operation | gorch | %s | %s | PyTorch | gorch speed vs NumPy (env / alt) |\n", settings[0].label, settings[1].label)
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: |\n")
	figs := make([]figures, len(rows))
	for i, rw := range rows {
		f := r.figures(rw)
		figs[i] = f
		fmt.Fprintf(&b, "| %s (%s) | %s | %s | %s | %s | %s / %s |\n", rw.name, rw.unit,
			num(f.gorch, f.has(f.gorch)), num(f.env, f.has(f.env)), num(f.alt, f.has(f.alt)), num(f.torch, f.has(f.torch)),
			ratio(f.gorch, f.env, f.has(f.gorch) && f.has(f.env), rw.higher), ratio(f.gorch, f.alt, f.has(f.gorch) && f.has(f.alt), rw.higher))
	}
	b.WriteString("\n")
	goalsTable(&b, rows, figs)
	r.gemmTable(&b, ncpu)
	if len(r.notes) > 0 {
		b.WriteString("\nNotes:\n\n")
		for _, n := range r.notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

// figures are one row's measurements in the row's unit, NaN where a
// contender was not measured.
type figures struct{ gorch, env, alt, torch float64 }

func (figures) has(v float64) bool { return !math.IsNaN(v) }

// figures looks up the measurements of rw: NumPy in the environment's and
// the alternative BLAS setting and PyTorch, all threads, or NumPy on one
// thread (no PyTorch) for a one-core row.
func (r *results) figures(rw row) figures {
	envKey, altKey, torchKey := "env/numpy/", "alt/numpy/", "env/torch/"
	if rw.one {
		envKey, altKey, torchKey = "env1/numpy/", "alt1/numpy/", ""
	}
	pyScale := rw.scale * 1e9 // compare.py reports seconds
	if rw.higher {
		pyScale = 1
	}
	get := func(key string, scale float64) float64 {
		if v, ok := r.value(key, scale); ok {
			return v
		}
		return math.NaN()
	}
	return figures{get(rw.gorch, rw.scale), get(envKey+rw.py, pyScale), get(altKey+rw.py, pyScale), get(torchKey+rw.py, pyScale)}
}

// A goal is one of the speed goals of the tensor package, judged on a row
// of the comparison table.
type goal struct {
	row    int                     // index of the row in the table
	target string                  // the goal, in words
	limit  func(f figures) float64 // the figure gorch must reach
	bytes  float64                 // memory one call reads and writes, for the rows memory bandwidth bounds
}

// goals are the tensor issue's: elementwise and reductions at least as
// fast as the faster of NumPy and PyTorch, per-op overhead at most 0.5 µs,
// matmul at 80% of NumPy's GFLOP/s or more in the same environment.
var goals = []goal{
	{0, "≤ fastest of NumPy and PyTorch", fastestTime, 3 * 4 * 10e6},
	{1, "≤ fastest of NumPy and PyTorch", fastestTime, 3 * 4 * 10e6},
	{2, "≤ fastest of NumPy and PyTorch", fastestTime, 4 * 10e6},
	{3, "≤ 0.5 µs", func(figures) float64 { return 0.5 }, 0},
	{4, "≥ 80% of NumPy (environment's setting)", func(f figures) float64 { return 0.8 * f.env }, 0},
}

// fastestTime is the shortest time among the contenders other than gorch.
func fastestTime(f figures) float64 {
	best := math.Inf(1)
	for _, v := range []float64{f.env, f.alt, f.torch} {
		if f.has(v) {
			best = min(best, v)
		}
	}
	return best
}

// goalsTable says, for each goal, whether this run meets it, and for the
// rows that stream memory what bandwidth gorch and the fastest contender
// reach, which is what such a gap measures.
func goalsTable(b *strings.Builder, rows []row, figs []figures) {
	b.WriteString("## Goals\n\n| operation | goal | gorch | limit | met | memory traffic, gorch / fastest other (GB/s) |\n| --- | --- | ---: | ---: | --- | ---: |\n")
	for _, g := range goals {
		rw, f := rows[g.row], figs[g.row]
		limit := g.limit(f)
		verdict := "—"
		if f.has(f.gorch) && !math.IsInf(limit, 0) && !math.IsNaN(limit) {
			short := (f.gorch - limit) / limit // how much longer than allowed
			if rw.higher {
				short = (limit - f.gorch) / limit
			}
			verdict = "yes"
			if short > 0 {
				verdict = fmt.Sprintf("no, by %.0f%%", 100*short)
			}
		}
		traffic := "—"
		if g.bytes > 0 && f.has(f.gorch) {
			// rw.scale turns ns into the row's unit; bytes per ns is GB/s.
			perNs := func(v float64) float64 { return g.bytes / (v / rw.scale) }
			traffic = fmt.Sprintf("%s / %s", num(perNs(f.gorch), true), num(perNs(fastestTime(f)), !math.IsInf(fastestTime(f), 0)))
		}
		fmt.Fprintf(b, "| %s (%s) | %s | %s | %s | %s | %s |\n", rw.name, rw.unit, g.target, num(f.gorch, f.has(f.gorch)), num(limit, !math.IsInf(limit, 0) && !math.IsNaN(limit)), verdict, traffic)
	}
	b.WriteString("\nThe first three rows read two 40 MB operands and write a third (the sum reads one) and do one " +
		"arithmetic operation per element: the last column is the memory traffic that gorch and the fastest other " +
		"library reach, the resource these rows measure.\n\n")
}

// gemmTable lists the gemm package's own benchmarks next to NumPy's
// matmul, on one core and on all.
func (r *results) gemmTable(b *strings.Builder, ncpu int) {
	b.WriteString("## matmul kernels (tensor/internal/gemm), GFLOP/s\n\n")
	fmt.Fprintf(b, "| benchmark | 1 core | %d cores |\n| --- | ---: | ---: |\n", ncpu)
	var names []string
	for k := range r.best {
		if name, ok := strings.CutSuffix(k, "-1/GFLOP/s"); ok && strings.Contains(name, "gemm/") {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, compareBench)
	for _, n := range names {
		one, _ := r.value(n+"-1/GFLOP/s", 1)
		many, ok := r.value(fmt.Sprintf("%s-%d/GFLOP/s", n, ncpu), 1)
		fmt.Fprintf(b, "| %s | %s | %s |\n", n, num(one, true), num(many, ok))
	}
	for _, s := range [][2]string{{"env", "environment's BLAS setting"}, {"alt", "alternative BLAS setting"}} {
		one, ok1 := r.value(s[0]+"1/numpy/matmul1024_gflops", 1)
		many, ok2 := r.value(s[0]+"/numpy/matmul1024_gflops", 1)
		fmt.Fprintf(b, "| NumPy matmul 1024, %s | %s | %s |\n", s[1], num(one, ok1), num(many, ok2))
	}
}

// compareBench orders "Sgemm/avx2/64"-style names: float32 before
// float64, then by kernel, then by size as a number.
func compareBench(x, y string) int {
	xs, ys := strings.Split(x, "/"), strings.Split(y, "/")
	if c := strings.Compare(xs[0], ys[0]); c != 0 {
		return -c // "Sgemm" before "Dgemm"
	}
	if c := strings.Compare(strings.Join(xs[1:len(xs)-1], "/"), strings.Join(ys[1:len(ys)-1], "/")); c != 0 {
		return c
	}
	xn, _ := strconv.Atoi(xs[len(xs)-1])
	yn, _ := strconv.Atoi(ys[len(ys)-1])
	return xn - yn
}

func num(v float64, ok bool) string {
	switch {
	case !ok:
		return "—"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// ratio is gorch's speed relative to other's: other/gorch for times,
// gorch/other for rates.
func ratio(gorch, other float64, ok, higher bool) string {
	if !ok || gorch == 0 || other == 0 || math.IsNaN(gorch) {
		return "—"
	}
	if higher {
		return fmt.Sprintf("%.2f×", gorch/other)
	}
	return fmt.Sprintf("%.2f×", other/gorch)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
