package sync

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// Status is what a library knows of its sync, without asking the remote.
type Status struct {
	// Remote is empty when the library does not sync.
	Remote   string         `json:"remote"`
	Library  string         `json:"library,omitempty"`
	Device   string         `json:"device,omitempty"`
	Author   string         `json:"author,omitempty"`
	LastSync *time.Time     `json:"last_sync,omitempty"`
	Problem  string         `json:"problem,omitempty"`
	Pending  int            `json:"pending"`
	Devices  []DeviceStatus `json:"devices"`
}

// DeviceStatus is another device whose segments were merged here.
type DeviceStatus struct {
	ID       string    `json:"id"`
	Author   string    `json:"author,omitempty"`
	LastSeen time.Time `json:"last_seen"`
	Segments int       `json:"segments"`
}

// ReadStatus returns a library's sync status.
func ReadStatus(svc *annotations.Service) (Status, error) {
	st := Status{Devices: []DeviceStatus{}}
	err := svc.ReplicaView(func(r annotations.ReplicaWriter) error {
		var err error
		if st.Remote, err = r.Setting(SettingRemote); err != nil {
			return err
		}
		if st.Library, err = r.Setting(SettingLibrary); err != nil {
			return err
		}
		if st.Author, err = r.Setting("author"); err != nil {
			return err
		}
		if st.Problem, err = r.Setting(SettingProblem); err != nil {
			return err
		}
		if last, err := r.Setting(SettingLast); err != nil {
			return err
		} else if t, err := time.Parse(time.RFC3339, last); err == nil {
			st.LastSync = &t
		}
		device, err := r.Device()
		if err != nil {
			return err
		}
		if device != uuid.Nil {
			st.Device = device.String()
		}
		if st.Pending, err = r.PendingCount(); err != nil {
			return err
		}
		return r.Marks(markDevices, nil, func(key, value []byte) error {
			var info deviceInfo
			if len(key) != 16 || json.Unmarshal(value, &info) != nil || uuid.UUID(key) == device {
				return nil
			}
			st.Devices = append(st.Devices, DeviceStatus{ID: uuid.UUID(key).String(), Author: info.Author, LastSeen: info.LastSeen, Segments: info.Segments})
			return nil
		})
	})
	slices.SortFunc(st.Devices, func(a, b DeviceStatus) int { return b.LastSeen.Compare(a.LastSeen) })
	return st, err
}
