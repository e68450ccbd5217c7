package pyproject

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// requirementName returns the distribution name at the start of a PEP 508
// requirement and the text after it, or ok false when s does not start
// with a name. A name is letters and digits, with ".", "-" and "_" allowed
// between them.
func requirementName(s string) (name, rest string, ok bool) {
	s = strings.TrimLeft(s, " \t")
	end := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) {
			end = i + 1
			continue
		}
		if i == 0 || (c != '.' && c != '-' && c != '_') {
			break
		}
	}
	if end == 0 {
		return "", s, false
	}
	return s[:end], s[end:], true
}

// normalizeName returns the PEP 503 form of a distribution name: lowercase,
// with each run of "-", "_" and "." replaced by a single "-".
func normalizeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	separator := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			separator = true
			continue
		}
		if separator && b.Len() > 0 {
			b.WriteByte('-')
		}
		separator = false
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// checkRequirement checks that requirement has the shape of a PEP 508
// requirement and returns its normalized distribution name. It checks the
// name and extras, and that what follows them starts a version specifier,
// a URL or a marker. It does not parse specifiers, URLs or markers.
func checkRequirement(requirement string) (string, error) {
	invalid := func(reason string) error {
		return fmt.Errorf("invalid requirement %q: %s; write a PEP 508 requirement such as \"pyjwt==2.10.1\"", requirement, reason)
	}

	if strings.TrimSpace(requirement) != requirement {
		return "", invalid("it has leading or trailing whitespace")
	}
	if !utf8.ValidString(requirement) {
		return "", invalid("it is not valid UTF-8")
	}
	for i := 0; i < len(requirement); i++ {
		if c := requirement[i]; c < 0x20 || c == 0x7f {
			return "", invalid("it contains a control character")
		}
	}

	name, rest, ok := requirementName(requirement)
	if !ok {
		return "", invalid("it does not start with a distribution name")
	}
	rest = strings.TrimLeft(rest, " \t")
	if strings.HasPrefix(rest, "[") {
		var err error
		if rest, err = skipExtras(rest); err != nil {
			return "", invalid(err.Error())
		}
	}
	if rest != "" && !strings.ContainsAny(rest[:1], "<>=!~(;@") {
		return "", invalid(fmt.Sprintf("unexpected %q after the name and extras", rest))
	}
	return normalizeName(name), nil
}

// skipExtras returns what follows a well-formed extras list such as
// "[argon2, bcrypt]" at the start of s.
func skipExtras(s string) (string, error) {
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return "", fmt.Errorf("the extras list has no closing \"]\"")
	}
	inner := strings.TrimSpace(s[1:end])
	if inner != "" {
		for extra := range strings.SplitSeq(inner, ",") {
			extra = strings.TrimSpace(extra)
			name, rest, ok := requirementName(extra)
			if !ok || rest != "" || name != extra {
				return "", fmt.Errorf("invalid extra %q", extra)
			}
		}
	}
	return strings.TrimLeft(s[end+1:], " \t"), nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// tomlString returns s as a TOML string literal. It uses a literal string
// ('...') when quote is '\” and s contains no single quote, and a basic
// string ("...") otherwise. s must not contain control characters.
func tomlString(s string, quote byte) string {
	if quote == '\'' && !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
