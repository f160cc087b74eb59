package spam

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// calibrationFolds is the number of cross-validation folds used to fit the
// Platt calibration of a batch-trained model.
const calibrationFolds = 5

// Train builds a fresh filter (not the starter) from labelled examples:
// batch logistic regression with cross-validated calibration, and a
// near-duplicate index of the spam examples. Unlabelled examples are
// ignored. The filter uses InDomainConfig.
func Train(examples []Example) *Filter {
	return trainWith(examples, defaultHyper, true)
}

func trainWith(examples []Example, hp hyper, dupIndex bool) *Filter {
	f := newEmptyFilter(hp)
	f.SetConfig(InDomainConfig())
	var ts []*tokens
	var lab []bool
	for _, e := range examples {
		if e.Label == "" {
			continue
		}
		t := new(tokens)
		s := e.Sample()
		t.tokenize(&s, &hp.Tok)
		ts = append(ts, t)
		lab = append(lab, e.Spam())
	}
	m := f.m
	if len(ts) >= 2*calibrationFolds {
		zs := make([]float32, len(ts))
		for k := 0; k < calibrationFolds; k++ {
			var tr []*tokens
			var tl []bool
			for i := range ts {
				if i%calibrationFolds != k {
					tr = append(tr, ts[i])
					tl = append(tl, lab[i])
				}
			}
			fm := newModel(modelBits, hp)
			fm.trainBatch(tr, tl, uint64(k+1))
			for i := range ts {
				if i%calibrationFolds == k {
					zs[i] = fm.rawLogit(ts[i], nil)
				}
			}
		}
		m.calA, m.calB = fitPlatt(zs, lab)
	}
	m.trainBatch(ts, lab, 99)
	if dupIndex {
		for i, t := range ts {
			if !lab[i] {
				continue
			}
			t.norm = normalizeForDup(t.norm[:0], t.low)
			if sig, ok := minhash(t.norm); ok {
				f.dup.add(&sig)
			}
		}
	}
	return f
}

// TrainFile teaches an existing filter every labelled example of a JSON
// Lines file, one online Learn at a time (as a moderator would), and
// returns how many it learned.
func (f *Filter) TrainFile(path string) (int, error) {
	ex, err := ReadJSONL(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ex {
		if e.Label == "" {
			continue
		}
		f.Learn(e.Sample(), e.Spam())
		n++
	}
	return n, nil
}

// Evaluate trains a fresh filter on the JSON Lines trainFiles, classifies
// every item of testFile, writes "id<TAB>spam|ham<TAB>score" lines to
// predictionsPath (if not empty) and prints the metrics to out (if not nil)
// for the test items that carry a label. Only verdicts Spam and Discard
// count as spam; Unsure counts as ham.
func Evaluate(trainFiles []string, testFile, predictionsPath string, out io.Writer) (Metrics, error) {
	var train []Example
	for _, p := range trainFiles {
		ex, err := ReadJSONL(p)
		if err != nil {
			return Metrics{}, err
		}
		train = append(train, ex...)
	}
	labelled := 0
	for _, e := range train {
		if e.Label != "" {
			labelled++
		}
	}
	if labelled == 0 {
		return Metrics{}, fmt.Errorf("no labelled training examples in %s", strings.Join(trainFiles, ", "))
	}
	test, err := ReadJSONL(testFile)
	if err != nil {
		return Metrics{}, err
	}
	for i, e := range test {
		if e.ID == "" {
			return Metrics{}, fmt.Errorf("%s: item %d has no \"id\"", testFile, i+1)
		}
	}
	f := Train(train)
	var w *bufio.Writer
	if predictionsPath != "" {
		pf, err := os.Create(predictionsPath)
		if err != nil {
			return Metrics{}, err
		}
		defer pf.Close()
		w = bufio.NewWriter(pf)
	}
	var mt Metrics
	for _, e := range test {
		r := f.Check(e.Sample(), History{})
		pred := r.IsSpam()
		if w != nil {
			lab := "ham"
			if pred {
				lab = "spam"
			}
			w.WriteString(e.ID + "\t" + lab + "\t" + strconv.FormatFloat(r.Score, 'f', 4, 64) + "\n")
		}
		if e.Label != "" {
			mt.Add(e.Spam(), pred)
		}
	}
	if w != nil {
		if err := w.Flush(); err != nil {
			return Metrics{}, err
		}
	}
	mt.Compute()
	if out != nil {
		fmt.Fprintf(out, "trained on %d examples (%s); tested on %s\n", labelled, strings.Join(trainFiles, ", "), testFile)
		if err := mt.Write(out); err != nil {
			return mt, err
		}
	}
	return mt, nil
}

// BlogTrainSplit reports whether an item of testdata/blog.jsonl belongs to
// the half used to train the starter model (odd item numbers); the other
// half is only used for evaluation.
func BlogTrainSplit(id string) bool {
	i := strings.LastIndexByte(id, '-')
	n, err := strconv.Atoi(id[i+1:])
	return err == nil && n%2 == 1
}
