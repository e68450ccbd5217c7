package gitx

import (
	"strings"
	"testing"
	"time"
)

func TestWildmatch(t *testing.T) {
	tests := []struct {
		pattern, text string
		fold          bool
		want          bool
	}{
		{"abc", "abc", false, true},
		{"abc", "abd", false, false},
		{"a?c", "abc", false, true},
		{"a?c", "a/c", false, false},
		{"*", "abc", false, true},
		{"*", "a/b", false, false},
		{"a*", "a", false, true},
		{"*c", "a/bc", false, false},
		{"**", "a/b/c", false, true},
		{"a/**", "a/b/c", false, true},
		{"a/**", "a", false, false},
		{"**/c", "c", false, true},
		{"**/c", "a/b/c", false, true},
		{"a/**/c", "a/c", false, true},
		{"a/**/c", "a/b/d/c", false, true},
		{"a/**/c", "a/bc", false, false},
		{"a**c", "abc", false, true},
		{"a**c", "a/c", false, false},
		{"[abc]", "b", false, true},
		{"[!abc]", "b", false, false},
		{"[^abc]", "d", false, true},
		{"[a-c]", "b", false, true},
		{"[a-c]", "d", false, false},
		{"[]]", "]", false, true},
		{"[!]]", "a", false, true},
		{"[a-]", "-", false, true},
		{"[[:digit:]]x", "7x", false, true},
		{"[[:upper:]]", "a", true, true},
		{"[[:bogus:]]", "a", false, false},
		{"[/]", "/", false, false},
		{"[abc", "a", false, false},
		{`\*`, "*", false, true},
		{`\*`, "a", false, false},
		{`a\`, "a", false, false},
		{"ABC", "abc", true, true},
		{"ABC", "abc", false, false},
		{"[A-C]", "b", true, true},
	}
	for _, tt := range tests {
		if got := wildmatch(tt.pattern, tt.text, tt.fold); got != tt.want {
			t.Errorf("wildmatch(%q, %q, fold %v) = %v, want %v", tt.pattern, tt.text, tt.fold, got, tt.want)
		}
	}
}

// TestWildmatchManyStars guards the abort rules: without them this pattern
// takes time exponential in the number of stars.
func TestWildmatchManyStars(t *testing.T) {
	pattern := strings.Repeat("*a", 20) + "*b"
	text := strings.Repeat("a", 200)
	start := time.Now()
	if wildmatch(pattern, text, false) {
		t.Error("pattern matched a text without b")
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("match took %v", elapsed)
	}
}
