// Package gpu finds NVIDIA GPUs through the CUDA driver API, loaded at run
// time so that one binary, built without cgo, runs everywhere: on a machine
// without the driver, [Devices] returns an error wrapping [ErrNoDriver]
// instead of the process dying at start-up, as bindings that link
// libcuda at build time do.
//
// The package knows devices and buffers, never tensors.
package gpu

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/ebitengine/purego"
)

// ErrNoDriver reports that the CUDA driver library could not be loaded or
// initialised, the normal state of a machine without an NVIDIA GPU.
var ErrNoDriver = errors.New("gpu: the CUDA driver is not available")

// Device describes one CUDA device, as cudaGetDeviceProperties would.
type Device struct {
	Ordinal     int    // the n of "cuda:n"
	Name        string // such as "NVIDIA H100 80GB HBM3"
	TotalMemory uint64 // bytes
	Major       int    // compute capability, major part
	Minor       int    // compute capability, minor part
}

// driver holds the entry points of libcuda.so.1 that the package uses.
type driver struct {
	init           func(flags uint32) int32
	deviceGetCount func(count *int32) int32
	deviceGet      func(dev *int32, ordinal int32) int32
	deviceGetName  func(name *byte, length int32, dev int32) int32
	totalMem       func(bytes *uint64, dev int32) int32
	attribute      func(value *int32, attrib int32, dev int32) int32
	errorString    func(result int32, str **byte) int32
}

// Attribute numbers from cuda.h's CUdevice_attribute.
const (
	attrComputeMajor = 75
	attrComputeMinor = 76
)

var (
	loadOnce  sync.Once
	loaded    *driver
	loadError error
)

// load opens and initialises the driver once per process.
func load() (*driver, error) {
	loadOnce.Do(func() {
		// dlerror, which purego reads after a failed dlopen or dlsym, is
		// per thread: were the goroutine moved to another thread between
		// the two calls, the reason would read as empty.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		lib, err := purego.Dlopen("libcuda.so.1", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			loadError = fmt.Errorf("%w: %v", ErrNoDriver, err)
			return
		}
		d := &driver{}
		for name, fn := range map[string]any{
			"cuInit":               &d.init,
			"cuDeviceGetCount":     &d.deviceGetCount,
			"cuDeviceGet":          &d.deviceGet,
			"cuDeviceGetName":      &d.deviceGetName,
			"cuDeviceTotalMem_v2":  &d.totalMem,
			"cuDeviceGetAttribute": &d.attribute,
			"cuGetErrorString":     &d.errorString,
		} {
			sym, err := purego.Dlsym(lib, name)
			if err != nil {
				loadError = fmt.Errorf("%w: libcuda.so.1 lacks %s: %v", ErrNoDriver, name, err)
				return
			}
			purego.RegisterFunc(fn, sym)
		}
		if err := d.check(d.init(0), "cuInit"); err != nil {
			loadError = fmt.Errorf("%w: %v", ErrNoDriver, err)
			return
		}
		loaded = d
	})
	return loaded, loadError
}

// check turns a CUresult into an error naming the call.
func (d *driver) check(result int32, call string) error {
	if result == 0 {
		return nil
	}
	var msg *byte
	if d.errorString(result, &msg) != 0 || msg == nil {
		return fmt.Errorf("gpu: %s failed with CUDA error %d", call, result)
	}
	return fmt.Errorf("gpu: %s failed: %s (CUDA error %d)", call, goString(msg), result)
}

// Devices lists the CUDA devices of this machine, in ordinal order. It
// returns an error wrapping ErrNoDriver where there is no usable driver,
// and an empty list where the driver finds no device. It never panics.
func Devices() ([]Device, error) {
	d, err := load()
	if err != nil {
		return nil, err
	}
	var count int32
	if err := d.check(d.deviceGetCount(&count), "cuDeviceGetCount"); err != nil {
		return nil, err
	}
	if count < 0 {
		return nil, fmt.Errorf("gpu: cuDeviceGetCount reported %d devices", count)
	}
	devices := make([]Device, 0, count)
	for i := range count {
		dev, err := d.describe(i)
		if err != nil {
			return nil, err
		}
		devices = append(devices, dev)
	}
	return devices, nil
}

// describe queries one device's name, memory and compute capability.
func (d *driver) describe(ordinal int32) (Device, error) {
	var handle int32
	if err := d.check(d.deviceGet(&handle, ordinal), "cuDeviceGet"); err != nil {
		return Device{}, err
	}
	name := make([]byte, 256)
	var total uint64
	var major, minor int32
	for _, step := range []struct {
		result int32
		call   string
	}{
		{d.deviceGetName(&name[0], int32(len(name)), handle), "cuDeviceGetName"},
		{d.totalMem(&total, handle), "cuDeviceTotalMem"},
		{d.attribute(&major, attrComputeMajor, handle), "cuDeviceGetAttribute"},
		{d.attribute(&minor, attrComputeMinor, handle), "cuDeviceGetAttribute"},
	} {
		if err := d.check(step.result, step.call); err != nil {
			return Device{}, err
		}
	}
	return Device{
		Ordinal:     int(ordinal),
		Name:        cString(name),
		TotalMemory: total,
		Major:       int(major),
		Minor:       int(minor),
	}, nil
}
