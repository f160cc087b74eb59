package spam

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Example is one labelled item of a JSON Lines data file. Only the fields
// a filter may use are read: id (to name predictions), author, content,
// email, url, ip and the label. Dates, video names, HTML and sources are
// ignored on purpose (they leak labels in the public sets).
type Example struct {
	ID      string
	Author  string
	Content string
	Email   string
	URL     string
	IP      string
	Label   string // "spam", "ham", or "" when the file has no labels
}

// Spam reports whether the example is labelled spam.
func (e Example) Spam() bool { return e.Label == "spam" }

// Sample converts the example to a Sample for Check/Learn.
func (e Example) Sample() Sample {
	return Sample{Author: e.Author, Content: e.Content, Email: e.Email, URL: e.URL, IP: e.IP}
}

type jsonExample struct {
	ID      *string `json:"id"`
	Author  *string `json:"author"`
	Content *string `json:"content"`
	Email   *string `json:"email"`
	URL     *string `json:"url"`
	IP      *string `json:"ip"`
	Label   *string `json:"label"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ReadJSONL reads a JSON Lines file of examples. Every non-blank line must
// be an object with a string "content"; "label", when present, must be
// "spam" or "ham". Errors name the file and line.
func ReadJSONL(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var j jsonExample
		if err := json.Unmarshal(b, &j); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if j.Content == nil {
			return nil, fmt.Errorf("%s:%d: missing \"content\"", path, line)
		}
		lab := deref(j.Label)
		if lab != "" && lab != "spam" && lab != "ham" {
			return nil, fmt.Errorf("%s:%d: label %q is neither \"spam\" nor \"ham\"", path, line, lab)
		}
		out = append(out, Example{
			ID: deref(j.ID), Author: deref(j.Author), Content: *j.Content,
			Email: deref(j.Email), URL: deref(j.URL), IP: deref(j.IP), Label: lab,
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", path, line+1, err)
	}
	return out, nil
}
