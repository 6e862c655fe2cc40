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
		{"linux with X11 over TCP", "linux", map[string]string{"DISPLAY": "host:3.0"}, ""},
		{"an X server that does not answer", "linux", map[string]string{"DISPLAY": ":78"}, "no display found (the X server of DISPLAY=:78 does not answer); the command-line verbs work without one: gloss --help"},
		{"a remote one that does not answer", "linux", map[string]string{"DISPLAY": "far:1"}, "no display found (the X server of DISPLAY=far:1 does not answer); the command-line verbs work without one: gloss --help"},
		{"a DISPLAY of a form not known", "linux", map[string]string{"DISPLAY": "odd"}, ""},
		{"linux with Wayland", "linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, ""},
		{"macOS needs no variable", "darwin", nil, ""},
		{"Windows needs no variable", "windows", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Servers answer on :0 (its abstract socket) and host:3 only.
			dial := func(network, addr string) error {
				if (network == "unix" && addr == "@/tmp/.X11-unix/X0") || (network == "tcp" && addr == "host:6003") {
					return nil
				}
				return errors.New("connection refused")
			}
			err := checkDisplay(tt.goos, func(k string) string { return tt.env[k] }, dial)
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
