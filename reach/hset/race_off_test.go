//go:build !race

package hset

const raceEnabled = false
