package textview

import (
	"image"
	"image/color"
	"math"
	"slices"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Picture is a picture shown in the text, as a block of its own above the
// line that holds rune offset At. It has no runes: offsets are the same
// with or without pictures.
type Picture struct {
	At  int    // rune offset: the picture is drawn above the line holding At
	Alt string // its description, shown when it cannot be drawn
	// Width and Height are its natural size in pixels, 0 when unknown.
	Width, Height int
	// Load returns the picture. The view calls it off the UI goroutine,
	// once, when the picture comes near the visible part of the text, and
	// keeps the result for as long as the text. nil for a picture that is
	// not kept (a web page's): a placeholder with Alt is drawn. An error
	// also shows the placeholder.
	Load func() (image.Image, error)
}

// Proportions of the pictures' layout.
const (
	// pictureMaxH is the most of the view's height a picture takes.
	pictureMaxH = 0.6
	// pictureUnknownRatio is the height, relative to the column width, of
	// the room kept for a picture of unknown size.
	pictureUnknownRatio = 0.75
)

// picBox is where a picture goes in a layout.
type picBox struct {
	pic         int     // index in View.pics
	line        int     // the line it is above
	x, y, w, h  float32 // content coordinates
	placeholder bool    // Load is nil: one line high, as wide as its label
}

// pictureSize returns the size of the room for p in a column colW wide,
// with lines lineH high, at most maxH high: its natural size scaled down
// (never up) to fit.
func pictureSize(p Picture, colW, maxH, lineH float32) (w, h float32, placeholder bool) {
	if p.Load == nil {
		return colW, lineH, true
	}
	if p.Width <= 0 || p.Height <= 0 {
		return colW, float32(math.Round(float64(min(colW*pictureUnknownRatio, maxH)))), false
	}
	nw, nh := float32(p.Width), float32(p.Height)
	w = min(nw, colW)
	h = nh * w / nw
	if h > maxH {
		h = maxH
		w = nw * h / nh
	}
	return float32(math.Round(float64(w))), float32(math.Round(float64(h))), false
}

// placePictures makes room for the pictures (sorted by At) above the
// lines holding their At, moving the lines down, and returns where each
// goes: centred in the column (colX, colW wide), pad above and below it.
func placePictures(lines []line, pics []Picture, colX, colW, maxH, lineH, pad float32) []picBox {
	if len(pics) == 0 {
		return nil
	}
	boxes := make([]picBox, 0, len(pics))
	k := 0
	var shift float32
	for i := range lines {
		y := lines[i].y + shift
		for k < len(pics) && (i == len(lines)-1 || pics[k].At < int(lines[i+1].start)) {
			w, h, ph := pictureSize(pics[k], colW, maxH, lineH)
			boxes = append(boxes, picBox{pic: k, line: i, x: colX + float32(math.Round(float64(colW-w)/2)), y: y + pad, w: w, h: h, placeholder: ph})
			y += h + 2*pad
			shift += h + 2*pad
			k++
		}
		lines[i].y += shift
	}
	return boxes
}

// sortedPictures returns a copy of ps sorted by At, clamped to the text.
func sortedPictures(ps []Picture, n int) []Picture {
	if len(ps) == 0 {
		return nil
	}
	out := slices.Clone(ps)
	for i := range out {
		out[i].At = min(max(out[i].At, 0), n)
	}
	slices.SortStableFunc(out, func(a, b Picture) int { return a.At - b.At })
	return out
}

// picLoad is what the view knows of a picture's loading.
type picLoad struct {
	img  image.Image
	err  error
	done bool
}

// loadPicture starts loading picture k off the UI goroutine, unless it is
// loading or loaded; the result is kept in v.loads and the content
// redrawn.
func (v *View) loadPicture(k int) {
	if _, ok := v.loads[k]; ok || v.pics[k].Load == nil {
		return
	}
	if v.loads == nil {
		v.loads = make(map[int]*picLoad)
	}
	st := &picLoad{}
	v.loads[k] = st
	gen, load := v.picGen, v.pics[k].Load
	run := v.Background
	if run == nil {
		run = func(fn func()) { go fn() }
	}
	run(func() {
		img, err := safeLoad(load)
		fyne.Do(func() {
			if v.picGen != gen {
				return // another text
			}
			st.img, st.err, st.done = img, err, true
			// Run in place (see View.Background), the load ends inside
			// the pass that draws the picture next: no second pass.
			if r := v.content.rend; r != nil && !r.painting {
				r.decorate()
			}
			if v.pictureLoaded != nil {
				v.pictureLoaded(k)
			}
		})
	})
}

// safeLoad calls load, turning a panic into an error.
func safeLoad(load func() (image.Image, error)) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, errPanic
		}
	}()
	img, err = load()
	if err == nil && img == nil {
		err = errPanic
	}
	return img, err
}

type loadError string

func (e loadError) Error() string { return string(e) }

// errPanic is the error of a Load that panicked or returned no picture.
const errPanic = loadError("textview: the picture could not be loaded")

// picObjs are the canvas objects of one picture.
type picObjs struct {
	img   *canvas.Image
	src   image.Image // what img shows
	frame *canvas.Rectangle
	label *canvas.Text
}

// paintPictures sets up the objects of the pictures near the visible part
// [top, bottom) of the content, and starts loading those near it; the
// objects of the others are dropped.
func (r *contentRenderer) paintPictures(lay *layout, top, bottom float32) {
	v := r.c.view
	if len(lay.pics) == 0 {
		clear(r.pics)
		return
	}
	if r.pics == nil {
		r.pics = make(map[int]*picObjs)
	}
	h := bottom - top
	// Pictures are loaded a view's height ahead, drawn a quarter ahead.
	first := sort.Search(len(lay.pics), func(i int) bool { b := lay.pics[i]; return b.y+b.h > top-h })
	seen := make(map[int]bool)
	for _, b := range lay.pics[first:] {
		if b.y > bottom+h {
			break
		}
		v.loadPicture(b.pic)
		if b.y+b.h < top-h/4 || b.y > bottom+h/4 {
			continue
		}
		seen[b.pic] = true
		o := r.pics[b.pic]
		if o == nil {
			o = &picObjs{}
			r.pics[b.pic] = o
		}
		r.setPicture(lay, b, o)
	}
	for k := range r.pics {
		if !seen[k] {
			delete(r.pics, k)
		}
	}
}

// setPicture sets up the objects of the picture in box b: the image when
// it is loaded, else a placeholder: a thin frame around "[picture: Alt]".
func (r *contentRenderer) setPicture(lay *layout, b picBox, o *picObjs) {
	v := r.c.view
	p := v.pics[b.pic]
	if st := v.loads[b.pic]; st != nil && st.done && st.err == nil {
		if o.img == nil || o.src != st.img {
			o.img = canvas.NewImageFromImage(st.img)
			o.img.FillMode = canvas.ImageFillContain
			o.img.ScaleMode = canvas.ImageScaleSmooth
			o.src = st.img
		}
		o.frame, o.label = nil, nil
		x, y, w, h := b.x, b.y, b.w, b.h
		if p.Width <= 0 || p.Height <= 0 {
			// Unknown size: the room is the column's; scale the picture
			// down into it, never up.
			sz := st.img.Bounds().Size()
			if sz.X > 0 && sz.Y > 0 {
				nw, nh := float32(sz.X), float32(sz.Y)
				w = min(nw, b.w)
				h = nh * w / nw
				if h > b.h {
					h = b.h
					w = nw * h / nh
				}
				x += (b.w - w) / 2
				y += (b.h - h) / 2
			}
		}
		o.img.Move(fyne.NewPos(x, y))
		o.img.Resize(fyne.NewSize(w, h))
		o.img.Refresh()
		return
	}
	o.img, o.src = nil, nil
	m := v.met
	muted := withAlpha(r.fg, 0x90)
	if o.label == nil {
		o.label = canvas.NewText("", muted)
		o.frame = canvas.NewRectangle(color.Transparent)
	}
	pad := float32(math.Round(float64(m.textSize / 2)))
	label := fitLabel("[picture: "+p.Alt+"]", b.w-2*pad, v.meas.width)
	lw := v.meas.width(label)
	o.label.Text = label
	o.label.Color = muted
	o.label.TextSize = m.textSize
	fw := b.w
	if b.placeholder {
		fw = min(lw+2*pad, b.w)
	}
	o.label.Move(fyne.NewPos(b.x+pad, b.y+(b.h-m.textH)/2))
	o.label.Resize(fyne.NewSize(lw, m.textH))
	o.label.Refresh()
	o.frame.FillColor = color.Transparent
	o.frame.StrokeColor = muted
	o.frame.StrokeWidth = 1
	o.frame.Move(fyne.NewPos(b.x, b.y))
	o.frame.Resize(fyne.NewSize(fw, b.h))
	o.frame.Refresh()
}

// fitLabel shortens s with an ellipsis until width says it fits in w.
func fitLabel(s string, w float32, width func(string) float32) string {
	if width(s) <= w {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		t := string(rs[:n]) + "…"
		if width(t) <= w || n == 1 {
			return t
		}
	}
	return s
}

// pictureObjects appends the objects of the drawn pictures to objs.
func (r *contentRenderer) pictureObjects(objs []fyne.CanvasObject) []fyne.CanvasObject {
	if len(r.pics) == 0 {
		return objs
	}
	keys := make([]int, 0, len(r.pics))
	for k := range r.pics {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		o := r.pics[k]
		if o.img != nil {
			objs = append(objs, o.img)
			continue
		}
		objs = append(objs, o.frame, o.label)
	}
	return objs
}
