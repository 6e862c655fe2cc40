package sync

import (
	"errors"
	"fmt"
	"strings"
	gosync "sync"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/sync/remote"
)

// Controller is sync as the window uses it: set up from a dialog, synced
// by a button and in the background, its state in words. Its methods take
// and return plain values, so that the window needs no import of this
// package (main hands it over).
type Controller struct {
	svc *annotations.Service

	mu     gosync.Mutex
	syncer *Syncer
	rem    remote.Remote
}

// NewController returns the sync of a library.
func NewController(svc *annotations.Service) *Controller { return &Controller{svc: svc} }

// Remote returns where the library syncs, "" when it does not.
func (c *Controller) Remote() (string, error) {
	return c.svc.Setting(SettingRemote)
}

// Setup joins the library to a remote (see Setup); a WebDAV password, when
// given, is kept in the system keyring (or a file only the user can read),
// never in the library. It returns a sentence for the status line.
func (c *Controller) Setup(spec, user, password string) (string, error) {
	spec, err := remote.Normalize(spec)
	if err != nil {
		return "", err
	}
	where := ""
	if password != "" {
		if !strings.HasPrefix(spec, "http") {
			return "", errors.New("a password is for a WebDAV address (https://…)")
		}
		if where, err = remote.Save(spec, remote.Credentials{User: user, Password: password}); err != nil {
			return "", err
		}
	}
	rem, err := remote.Open(spec)
	if err != nil {
		return "", err
	}
	if _, err := Setup(c.svc, rem, spec, ""); err != nil {
		return "", err
	}
	c.mu.Lock()
	c.syncer, c.rem = nil, nil
	c.mu.Unlock()
	msg := "This library syncs with " + rem.String()
	if where != "" {
		msg += "; the password is kept in " + where
	}
	return msg + ".", nil
}

func (c *Controller) open() (*Syncer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.syncer != nil {
		return c.syncer, nil
	}
	spec, err := c.Remote()
	if err != nil {
		return nil, err
	}
	if spec == "" {
		return nil, ErrNotSetUp
	}
	rem, err := remote.Open(spec)
	if err != nil {
		return nil, err
	}
	s, err := New(c.svc, rem)
	if err != nil {
		return nil, err
	}
	c.syncer, c.rem = s, rem
	return s, nil
}

// Sync syncs once and returns a one-line summary. offline is set when the
// remote could not be reached (the changes wait; nothing is lost).
func (c *Controller) Sync(progress func(string)) (summary string, offline bool, err error) {
	s, err := c.open()
	if err != nil {
		return "", false, err
	}
	rep, err := s.Sync(progress)
	if err != nil {
		// The remote's errors name it already; a refused password is not
		// being offline.
		return "", errors.Is(err, remote.ErrUnreachable), err
	}
	return rep.String(), false, nil
}

// Status returns what the library knows of its sync, in a few lines.
func (c *Controller) Status() (string, error) {
	st, err := ReadStatus(c.svc)
	if err != nil || st.Remote == "" {
		return "This library does not sync.", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Syncs with %s.\n", st.Remote)
	if st.LastSync != nil {
		fmt.Fprintf(&b, "Last sync %s; ", st.LastSync.Local().Format(time.DateTime))
	} else {
		b.WriteString("Never synced; ")
	}
	fmt.Fprintf(&b, "%d change%s to send.\n", st.Pending, plural(st.Pending))
	if st.Problem != "" {
		fmt.Fprintf(&b, "Problem: %s\n", st.Problem)
	}
	for _, d := range st.Devices {
		name := d.ID[:8]
		if d.Author != "" {
			name = d.Author + " (" + name + ")"
		}
		fmt.Fprintf(&b, "Device %s: last change %s.\n", name, d.LastSeen.Local().Format(time.DateTime))
	}
	return strings.TrimRight(b.String(), "\n"), nil
}
