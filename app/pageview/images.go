package pageview

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// imageCache holds the rendered pages near the view and renders the ones
// wanted on a goroutine of its own, one at a time, the latest wish first:
// scrolling never waits for a page to render.
type imageCache struct {
	v       *View
	entries map[int]entry

	mu      sync.Mutex
	gen     int   // bumped by reset: older renders are dropped
	queue   []job // what to render next, most wanted first
	running bool

	// inline renders on the calling goroutine (tests).
	inline bool
}

// entry is a rendered page: its image and the pixel width it has.
type entry struct {
	width int
	img   *canvas.Image
}

type job struct {
	page, width, gen int
	render           Renderer
}

// maxCached is how many rendered pages are kept: at fit width on a large
// screen a page is about 4 MB, and as much again as a texture; the view
// shows two or three at a time.
const maxCached = 5

func newImageCache(v *View) *imageCache {
	return &imageCache{v: v, entries: map[int]entry{}}
}

// reset forgets every rendered page (a new document).
func (c *imageCache) reset() {
	c.mu.Lock()
	c.gen++
	c.queue = nil
	c.mu.Unlock()
	c.entries = map[int]entry{}
}

// image returns the rendered page i, or nil; it may be of another width
// than wanted for a moment (shown scaled) until the new one is ready.
func (c *imageCache) image(i int) *canvas.Image {
	if e, ok := c.entries[i]; ok {
		return e.img
	}
	return nil
}

// want asks for the visible pages (and the one after) at their current
// size; pages far from them are let go.
func (c *imageCache) want(visible []int, places []placed) {
	if c.v.render == nil || len(visible) == 0 {
		return
	}
	scale := float32(1)
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c.v); cv != nil {
		scale = cv.Scale()
	}
	pages := visible
	if next := visible[len(visible)-1] + 1; next < len(places) {
		pages = append(pages[:len(pages):len(pages)], next)
	}
	var jobs []job
	for _, i := range pages {
		w := int(places[i].w*scale + 0.5)
		if e, ok := c.entries[i]; ok && e.width == w {
			continue
		}
		jobs = append(jobs, job{page: i, width: w, render: c.v.render})
	}
	c.evict(visible[0], visible[len(visible)-1])
	if len(jobs) == 0 {
		return
	}
	if c.inline {
		for _, j := range jobs {
			if img, err := j.render(j.page, j.width); err == nil {
				c.entries[j.page] = newEntry(j.width, img)
			}
		}
		return
	}
	c.mu.Lock()
	for i := range jobs {
		jobs[i].gen = c.gen
	}
	c.queue = jobs
	start := !c.running
	c.running = true
	c.mu.Unlock()
	if start {
		go c.work()
	}
}

func newEntry(width int, img image.Image) entry {
	ci := canvas.NewImageFromImage(img)
	ci.FillMode = canvas.ImageFillStretch
	ci.ScaleMode = canvas.ImageScaleSmooth
	return entry{width: width, img: ci}
}

// work renders what is queued, handing each page to the main goroutine.
func (c *imageCache) work() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		j := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()
		img, err := j.render(j.page, j.width)
		if err != nil {
			continue
		}
		fyne.Do(func() {
			c.mu.Lock()
			current := j.gen == c.gen
			c.mu.Unlock()
			if !current {
				return
			}
			c.entries[j.page] = newEntry(j.width, img)
			c.v.content.Refresh()
			if c.v.OnRendered != nil {
				c.v.OnRendered(j.page)
			}
		})
	}
}

// evict lets go of the rendered pages furthest from [first, last] while
// more than maxCached are kept.
func (c *imageCache) evict(first, last int) {
	for len(c.entries) > maxCached {
		far, farD := -1, -1
		for i := range c.entries {
			d := max(first-i, i-last)
			if d > farD {
				far, farD = i, d
			}
		}
		delete(c.entries, far)
	}
}
