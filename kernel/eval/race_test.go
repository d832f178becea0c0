//go:build race

package eval

// raceDetector is true in test binaries built with -race.
const raceDetector = true
