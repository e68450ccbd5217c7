package gitx

import "strings"

// Results of matchGlob. The two abort results let an enclosing "*" stop
// trying further positions once no position can succeed, which keeps
// patterns with several stars from taking exponential time.
const (
	globMatch = iota
	globNoMatch
	// globAbortAll: the text ran out, so no later start can match.
	globAbortAll
	// globAbortToDoubleStar: a "/" blocks every "*" except "**".
	globAbortToDoubleStar
)

// wildmatch reports whether text matches a gitignore glob, with git's
// pathname rules: "*", "?" and bracket expressions never match "/", and
// "**" between slashes (or at either end) matches across directories.
// Matching is byte-wise, like git's. With fold, ASCII letters match
// without regard to case, as core.ignoreCase requires.
func wildmatch(pattern, text string, fold bool) bool {
	return matchGlob(pattern, text, fold) == globMatch
}

func matchGlob(p, t string, fold bool) int {
	ti := 0
	for pi := 0; pi < len(p); pi++ {
		pc := p[pi]
		if ti >= len(t) && pc != '*' {
			return globAbortAll
		}
		switch pc {
		case '\\':
			// A backslash makes the next pattern byte literal. A
			// trailing backslash matches nothing.
			pi++
			if pi >= len(p) || !equalFold(p[pi], t[ti], fold) {
				return globNoMatch
			}
			ti++
		case '?':
			if t[ti] == '/' {
				return globNoMatch
			}
			ti++
		case '[':
			matched, end, ok := matchBracket(p, pi, t[ti], fold)
			if !ok {
				return globAbortAll
			}
			if !matched || t[ti] == '/' {
				return globNoMatch
			}
			pi = end
			ti++
		case '*':
			return matchStar(p, pi, t[ti:], fold)
		default:
			if !equalFold(pc, t[ti], fold) {
				return globNoMatch
			}
			ti++
		}
	}
	if ti < len(t) {
		return globNoMatch
	}
	return globMatch
}

// matchStar matches text against the pattern from p[start], a run of "*".
func matchStar(p string, start int, text string, fold bool) int {
	pi := start + 1
	doubleStar := false
	if pi < len(p) && p[pi] == '*' {
		for pi < len(p) && p[pi] == '*' {
			pi++
		}
		// "**" is special only as a whole path component; elsewhere it
		// is a plain "*".
		atComponentStart := start == 0 || p[start-1] == '/'
		atComponentEnd := pi == len(p) || p[pi] == '/'
		if atComponentStart && atComponentEnd {
			doubleStar = true
			// "**/" also matches no directory at all.
			if pi < len(p) && matchGlob(p[pi+1:], text, fold) == globMatch {
				return globMatch
			}
		}
	}

	rest := p[pi:]
	if rest == "" {
		if !doubleStar && strings.IndexByte(text, '/') >= 0 {
			return globAbortToDoubleStar
		}
		return globMatch
	}
	for ti := 0; ti < len(text); ti++ {
		result := matchGlob(rest, text[ti:], fold)
		if result != globNoMatch {
			if !doubleStar || result != globAbortToDoubleStar {
				return result
			}
		} else if !doubleStar && text[ti] == '/' {
			return globAbortToDoubleStar
		}
	}
	return globAbortAll
}

// matchBracket matches c against the bracket expression starting at
// p[start] == '['. It returns whether c matches, the index of the closing
// "]", and ok false for an unterminated or unknown-class expression, which
// matches nothing. A "!" or "^" after "[" negates the set, and a "]" right
// after those is a member. "a-z" is a byte range, and "[:alpha:]" and the
// other POSIX classes are supported.
func matchBracket(p string, start int, c byte, fold bool) (matched bool, end int, ok bool) {
	i := start + 1
	negated := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		negated = true
		i++
	}

	var previous byte
	hasPrevious := false
	for first := true; ; first = false {
		if i >= len(p) {
			return false, 0, false
		}
		ch := p[i]
		if ch == ']' && !first {
			break
		}

		switch {
		case ch == '\\':
			i++
			if i >= len(p) {
				return false, 0, false
			}
			matched = matched || equalFold(c, p[i], fold)
			previous, hasPrevious = p[i], true
		case ch == '-' && hasPrevious && i+1 < len(p) && p[i+1] != ']':
			i++
			high := p[i]
			if high == '\\' {
				i++
				if i >= len(p) {
					return false, 0, false
				}
				high = p[i]
			}
			matched = matched || inRange(c, previous, high, fold)
			hasPrevious = false
		case ch == '[' && i+1 < len(p) && p[i+1] == ':':
			closing := strings.IndexByte(p[i+2:], ']')
			if closing < 0 {
				return false, 0, false
			}
			closing += i + 2
			if closing-1 < i+2 || p[closing-1] != ':' {
				// No ":]", so the "[" is an ordinary member.
				matched = matched || equalFold(c, '[', fold)
				previous, hasPrevious = '[', true
				break
			}
			classMatched, known := matchCharClass(p[i+2:closing-1], c, fold)
			if !known {
				return false, 0, false
			}
			matched = matched || classMatched
			hasPrevious = false
			i = closing
		default:
			matched = matched || equalFold(c, ch, fold)
			previous, hasPrevious = ch, true
		}
		i++
	}
	return matched != negated, i, true
}

func matchCharClass(name string, c byte, fold bool) (matched, known bool) {
	isLower := c >= 'a' && c <= 'z'
	isUpper := c >= 'A' && c <= 'Z'
	isDigit := c >= '0' && c <= '9'
	isAlpha := isLower || isUpper
	isPunct := c > ' ' && c < 0x7f && !isAlpha && !isDigit
	switch name {
	case "alnum":
		return isAlpha || isDigit, true
	case "alpha":
		return isAlpha, true
	case "blank":
		return c == ' ' || c == '\t', true
	case "cntrl":
		return c < ' ' || c == 0x7f, true
	case "digit":
		return isDigit, true
	case "graph":
		return c > ' ' && c < 0x7f, true
	case "lower":
		return isLower || (fold && isUpper), true
	case "print":
		return c >= ' ' && c < 0x7f, true
	case "punct":
		return isPunct, true
	case "space":
		return c == ' ' || (c >= '\t' && c <= '\r'), true
	case "upper":
		return isUpper || (fold && isLower), true
	case "xdigit":
		return isDigit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'), true
	}
	return false, false
}

func inRange(c, low, high byte, fold bool) bool {
	if c >= low && c <= high {
		return true
	}
	if !fold {
		return false
	}
	lower, upper := toLowerASCII(c), toUpperASCII(c)
	return (lower >= low && lower <= high) || (upper >= low && upper <= high)
}

func equalFold(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	return fold && toLowerASCII(a) == toLowerASCII(b)
}

func toLowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func toUpperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}
