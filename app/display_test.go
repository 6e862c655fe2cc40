package app

import (
	"errors"
	"testing"
)

func TestCheckDisplay(t *testing.T) {
	const noDisplay = "no display found (DISPLAY is not set); the command-line verbs work without one: gloss --help"
	tests := []struct {
		name string
		goos string
		env  map[string]string
		want string // "" for no error
	}{
		{"linux without a display", "linux", nil, noDisplay},
		{"linux with empty variables", "linux", map[string]string{"DISPLAY": "", "WAYLAND_DISPLAY": ""}, noDisplay},
		{"freebsd without a display", "freebsd", nil, noDisplay},
		{"openbsd without a display", "openbsd", nil, noDisplay},
		{"linux with X11", "linux", map[string]string{"DISPLAY": ":0"}, ""},
		{"linux with Wayland", "linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, ""},
		{"macOS needs no variable", "darwin", nil, ""},
		{"Windows needs no variable", "windows", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkDisplay(tt.goos, func(k string) string { return tt.env[k] })
			if tt.want == "" {
				if err != nil {
					t.Fatalf("error = %v, want none", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want || !errors.Is(err, ErrNoDisplay) {
				t.Fatalf("error = %v, want %q (ErrNoDisplay)", err, tt.want)
			}
		})
	}
}
