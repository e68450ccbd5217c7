package gitx

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
)

// Fallback identity for machines without user.name or user.email, which is
// common on CI runners.
const (
	fallbackName  = "fastman"
	fallbackEmail = "fastman@localhost"
)

// signatures returns the author and committer of a new commit. Each field
// is taken from the first source that sets it, in git's order:
//
//	name:  GIT_AUTHOR_NAME, author.name, user.name
//	email: GIT_AUTHOR_EMAIL, author.email, user.email, EMAIL
//	date:  GIT_AUTHOR_DATE, the current time
//
// and likewise with GIT_COMMITTER_* and committer.* for the committer.
// Missing names and emails fall back to "fastman <fastman@localhost>".
func (r *Repo) signatures(now time.Time) (author, committer object.Signature, err error) {
	author, err = r.signature("AUTHOR", "author", now)
	if err != nil {
		return object.Signature{}, object.Signature{}, err
	}
	committer, err = r.signature("COMMITTER", "committer", now)
	if err != nil {
		return object.Signature{}, object.Signature{}, err
	}
	return author, committer, nil
}

func (r *Repo) signature(envRole, configRole string, now time.Time) (object.Signature, error) {
	name := r.firstSet(
		os.Getenv("GIT_"+envRole+"_NAME"),
		configRole+".name",
		"user.name",
	)
	if name == "" {
		name = fallbackName
	}
	email := r.firstSet(
		os.Getenv("GIT_"+envRole+"_EMAIL"),
		configRole+".email",
		"user.email",
	)
	if email == "" {
		email = os.Getenv("EMAIL")
	}
	if email == "" {
		email = fallbackEmail
	}

	when := now
	dateVariable := "GIT_" + envRole + "_DATE"
	if value := os.Getenv(dateVariable); value != "" {
		parsed, err := parseGitDate(value)
		if err != nil {
			return object.Signature{}, fmt.Errorf("invalid %s %q: %w", dateVariable, value, err)
		}
		when = parsed
	}
	return object.Signature{Name: name, Email: email, When: when}, nil
}

// firstSet returns the environment value when it is not empty, and
// otherwise the first non-empty config value among keys.
func (r *Repo) firstSet(envValue string, keys ...string) string {
	if envValue != "" {
		return envValue
	}
	for _, key := range keys {
		if v, _ := r.config.get(key); v != "" {
			return v
		}
	}
	return ""
}

// parseGitDate accepts RFC 3339 ("2024-05-01T12:00:00+02:00") and git's
// internal format, Unix seconds and a zone offset ("@1714557600 +0200",
// with or without the "@").
func parseGitDate(value string) (time.Time, error) {
	value = strings.TrimSpace(value)
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t, nil
	}

	secondsText, zoneText, ok := strings.Cut(strings.TrimPrefix(value, "@"), " ")
	if !ok {
		return time.Time{}, errors.New("use RFC 3339 or \"@UNIX_SECONDS +HHMM\"")
	}
	seconds, err := strconv.ParseInt(secondsText, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("use RFC 3339 or \"@UNIX_SECONDS +HHMM\": %w", err)
	}
	zone, err := time.Parse("-0700", strings.TrimSpace(zoneText))
	if err != nil {
		return time.Time{}, fmt.Errorf("zone %q is not +HHMM or -HHMM", zoneText)
	}
	_, offset := zone.Zone()
	return time.Unix(seconds, 0).In(time.FixedZone("", offset)), nil
}
