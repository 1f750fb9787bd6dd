// Package progress draws the progress line of a long CLI operation (ingest,
// fetch, erase, the demo's steps) on a terminal, and nothing at all when its
// output is not a terminal, so piped output stays clean.
package progress
