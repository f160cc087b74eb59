package spam

import (
	"fmt"
	"io"
	"math"
)

// Metrics are binary classification metrics with spam as the positive class.
type Metrics struct {
	TP, FP, TN, FN int
	Precision      float64
	Recall         float64
	F1             float64
	Accuracy       float64
	FPR            float64 // ham wrongly flagged: FP/(FP+TN)
	MCC            float64
}

// Add counts one prediction.
func (m *Metrics) Add(gold, pred bool) {
	switch {
	case gold && pred:
		m.TP++
	case gold:
		m.FN++
	case pred:
		m.FP++
	default:
		m.TN++
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Compute fills the derived metrics from the counts.
func (m *Metrics) Compute() {
	tp, fp, tn, fn := float64(m.TP), float64(m.FP), float64(m.TN), float64(m.FN)
	m.Precision = ratio(tp, tp+fp)
	m.Recall = ratio(tp, tp+fn)
	m.F1 = ratio(2*m.Precision*m.Recall, m.Precision+m.Recall)
	m.Accuracy = ratio(tp+tn, tp+tn+fp+fn)
	m.FPR = ratio(fp, fp+tn)
	m.MCC = ratio(tp*tn-fp*fn, math.Sqrt((tp+fp)*(tp+fn)*(tn+fp)*(tn+fn)))
}

// Write prints the metrics as one aligned block.
func (m Metrics) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "items      %d (spam %d, ham %d)\nTP %d  FP %d  TN %d  FN %d\nprecision  %.4f\nrecall     %.4f\nF1         %.4f\naccuracy   %.4f\nFPR (ham)  %.4f\nMCC        %.4f\n",
		m.TP+m.FP+m.TN+m.FN, m.TP+m.FN, m.FP+m.TN, m.TP, m.FP, m.TN, m.FN,
		m.Precision, m.Recall, m.F1, m.Accuracy, m.FPR, m.MCC)
	return err
}

func (m Metrics) String() string {
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f Acc=%.3f FPR=%.4f MCC=%.3f (TP %d FP %d TN %d FN %d)",
		m.Precision, m.Recall, m.F1, m.Accuracy, m.FPR, m.MCC, m.TP, m.FP, m.TN, m.FN)
}
