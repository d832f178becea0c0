//go:build ignore

// genlogos draws the kernel's logos, logo-32x32.png and logo-64x64.png: a
// 3x3 grid of white cells (a tensor) on a Go-blue rounded square.
//
// Run it with go generate in this directory.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
)

func main() {
	for _, size := range []int{32, 64} {
		f, err := os.Create(logoName(size))
		if err != nil {
			log.Fatal(err)
		}
		if err := png.Encode(f, draw(size)); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}

func logoName(size int) string {
	return fmt.Sprintf("logo-%dx%d.png", size, size)
}

// draw renders the logo at size pixels, averaging 4x4 samples per pixel so
// that the rounded corners are smooth.
func draw(size int) *image.NRGBA {
	const ss = 4
	blue := [3]float64{0x00, 0xAD, 0xD8}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var cover, white float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					// u, v in [0, 1): the sample's place in the logo.
					u := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					v := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					if !inRounded(u, v, 0.02, 0.98, 0.18) {
						continue
					}
					cover++
					if inGrid(u, v) {
						white++
					}
				}
			}
			if cover == 0 {
				continue
			}
			w := white / cover
			var c color.NRGBA
			c.R = uint8(blue[0] + (255-blue[0])*w)
			c.G = uint8(blue[1] + (255-blue[1])*w)
			c.B = uint8(blue[2] + (255-blue[2])*w)
			c.A = uint8(255 * cover / (ss * ss))
			img.SetNRGBA(px, py, c)
		}
	}
	return img
}

// inRounded reports whether (u, v) lies in the square [lo, hi]² with
// corners rounded to radius r.
func inRounded(u, v, lo, hi, r float64) bool {
	if u < lo || u > hi || v < lo || v > hi {
		return false
	}
	cx := min(max(u, lo+r), hi-r)
	cy := min(max(v, lo+r), hi-r)
	return (u-cx)*(u-cx)+(v-cy)*(v-cy) <= r*r
}

// inGrid reports whether (u, v) lies in one of the nine cells of the grid.
func inGrid(u, v float64) bool {
	const lo, cell, gap = 0.2, 0.18, 0.06
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			x := lo + float64(i)*(cell+gap)
			y := lo + float64(j)*(cell+gap)
			if u >= x && u <= x+cell && v >= y && v <= y+cell {
				return true
			}
		}
	}
	return false
}
