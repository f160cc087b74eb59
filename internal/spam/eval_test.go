package spam

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"marquee/internal/fixture"
)

// TestEvaluateDev trains on each public train split and checks the dev
// split against the product targets.
func TestEvaluateDev(t *testing.T) {
	for _, c := range []struct {
		name        string
		minF1, fpr  float64
		items, spam int
	}{
		{"youtube", 0.95, 0.03, 393, 202},
		{"sms", 0.96, 0.005, 1116, 150},
	} {
		t.Run(c.name, func(t *testing.T) {
			train := fixture.Path(t, "data/spam/"+c.name+".train.jsonl")
			dev := fixture.Path(t, "data/spam/"+c.name+".dev.jsonl")
			pred := filepath.Join(t.TempDir(), "pred.tsv")
			var out strings.Builder
			m, err := Evaluate([]string{train}, dev, pred, &out)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s dev:\n%s", c.name, out.String())
			if m.TP+m.FP+m.TN+m.FN != c.items || m.TP+m.FN != c.spam {
				t.Errorf("scored %d items (%d spam), want %d (%d)", m.TP+m.FP+m.TN+m.FN, m.TP+m.FN, c.items, c.spam)
			}
			if m.F1 < c.minF1 {
				t.Errorf("F1 %.4f < %.2f", m.F1, c.minF1)
			}
			if m.FPR > c.fpr {
				t.Errorf("ham FPR %.4f > %.3f", m.FPR, c.fpr)
			}
			// predictions file: one line per test item, id TAB label TAB score
			fh, err := os.Open(pred)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			sc := bufio.NewScanner(fh)
			n := 0
			for sc.Scan() {
				f := strings.Split(sc.Text(), "\t")
				if len(f) != 3 || f[0] == "" || (f[1] != "spam" && f[1] != "ham") {
					t.Fatalf("bad prediction line %q", sc.Text())
				}
				n++
			}
			if n != c.items {
				t.Errorf("%d prediction lines, want %d", n, c.items)
			}
		})
	}
}
