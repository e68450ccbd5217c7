package gitx

// Tracked returns those of paths (slash-separated, relative to the work
// tree top) that the index holds, in the order of paths. Git keeps
// committing a tracked file even when an ignore rule matches it.
func (r *Repo) Tracked(paths []string) ([]string, error) {
	clean, err := cleanPaths(paths)
	if err != nil {
		return nil, err
	}
	index, err := readIndex(r.indexPath())
	if err != nil {
		return nil, err
	}
	var tracked []string
	for _, p := range clean {
		if lo, hi := index.search(p); lo < hi {
			tracked = append(tracked, p)
		}
	}
	return tracked, nil
}
