package storage

// SetRestoreStep sets the function RestoreBackup calls before each of its
// steps (the crash tests kill the process there), and returns the steps.
func SetRestoreStep(f func(step string)) []string {
	restoreStep = f
	return restoreSteps
}
