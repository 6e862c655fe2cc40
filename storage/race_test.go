//go:build race

package storage_test

// raceDetector is set when the tests run with -race, which makes a crash
// child about ten times slower: the crash tests kill fewer children then
// (they run in full without it, in make test).
const raceDetector = true
